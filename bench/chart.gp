# bench/run draws docs/bench.svg with this: relate's time and peak memory as a
# ratio to the hand-written baseline, per workload, SQLite and PostgreSQL side by
# side, with the issue's targets. Inputs (written by bench/run), one line per
# workload: label  sqlite_ratio  postgres_ratio  target   ("?" where there is none)
#   dat: time ratios; mem: peak-memory ratios (the workloads that hold a result)
# Usage: gnuplot -e "dat='...'; mem='...'; out='...'; subtitle='...'" chart.gp
set terminal svg size 900,700 dynamic font "sans,12" background rgb "white"
set output out
set datafile missing "?"
set style data histograms
set style histogram clustered gap 1.5
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y 2
set ytics ("0.25x" 0.25, "0.5x" 0.5, "1x" 1, "2x" 2, "4x" 4, "8x" 8, "16x" 16, "32x" 32, "64x" 64)
set grid ytics lc rgb "#dddddd"
set key outside top center horizontal
set xtics nomirror scale 0
set bmargin 3
set multiplot layout 2,1 title "relate / hand-written C on the raw driver (" . subtitle . ")\nlower is better; 1x = the baseline"
set title "time"
set yrange [0.25:64]
plot dat using 2:xtic(1) title "SQLite" lc rgb "#3b7dd8", \
     "" using 3 title "PostgreSQL" lc rgb "#e07b39", \
     "" using ($0):4 with points pt 7 ps 1.2 lc rgb "#222222" title "target", \
     1 with lines lc rgb "#888888" dt 2 notitle
set title "peak memory (the workloads that hold a result)"
set yrange [0.25:64]
plot mem using 2:xtic(1) title "SQLite" lc rgb "#3b7dd8", \
     "" using 3 title "PostgreSQL" lc rgb "#e07b39", \
     "" using ($0):4 with points pt 7 ps 1.2 lc rgb "#222222" title "target", \
     1 with lines lc rgb "#888888" dt 2 notitle
unset multiplot
