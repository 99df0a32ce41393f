#include <relate.h>
#include <stdio.h>
int main(void) { printf("relate %s\n", rel_version_string()); return 0; }
