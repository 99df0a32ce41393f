# Run by ctest (package/install_and_consume): install the build into a scratch prefix,
# then build and run a consumer through find_package(relate) and through pkg-config,
# each against the shared and the static library.
cmake_minimum_required(VERSION 3.25)

function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGV}")
    message(FATAL_ERROR "failed (${rc}): ${cmd}")
  endif()
endfunction()

set(prefix "${WORK_DIR}/prefix")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

run(${CMAKE_COMMAND} --install "${RELATE_BINARY_DIR}" --prefix "${prefix}")

foreach(f ${INCLUDEDIR}/relate.h ${LIBDIR}/pkgconfig/relate.pc ${LIBDIR}/cmake/relate/relateConfig.cmake
          ${LIBDIR}/cmake/relate/relateConfigVersion.cmake ${LIBDIR}/cmake/relate/relateTargets.cmake)
  if(NOT EXISTS "${prefix}/${f}")
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()

# find_package(relate)
run(${CMAKE_COMMAND} -S "${RELATE_CONSUMER_DIR}" -B "${WORK_DIR}/cmake-build"
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_C_COMPILER=${C_COMPILER})
run(${CMAKE_COMMAND} --build "${WORK_DIR}/cmake-build")
run("${WORK_DIR}/cmake-build/consumer_shared")
run("${WORK_DIR}/cmake-build/consumer_static")

# pkg-config relate (--define-prefix: the .pc names the configured prefix, not this one)
find_program(PKG_CONFIG pkg-config REQUIRED)
set(pc ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${prefix}/${LIBDIR}/pkgconfig
       ${PKG_CONFIG} --define-prefix)
foreach(kind shared static)
  set(static_flag "")
  if(kind STREQUAL "static")
    set(static_flag --static)
  endif()
  execute_process(COMMAND ${pc} ${static_flag} --cflags --libs relate
                  OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config ${static_flag} relate failed")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  if(kind STREQUAL "static")
    # -lrelate would pick the .so; ask the linker for the archive.
    list(TRANSFORM flags REPLACE "^-lrelate$" "-l:librelate.a")
  endif()
  set(exe "${WORK_DIR}/pc_consumer_${kind}")
  run(${C_COMPILER} -std=c11 -Wall -Wextra -Wpedantic -Werror
      "${RELATE_CONSUMER_DIR}/consumer.c" -o "${exe}" ${flags})
  run(${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${prefix}/${LIBDIR} "${exe}")
endforeach()

message(STATUS "package OK: find_package and pkg-config, shared and static")
