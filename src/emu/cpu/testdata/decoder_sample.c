/* A small program whose static builds give the decoder-length test a realistic instruction mix. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  char *p = malloc(100);
  strcpy(p, argc > 1 ? argv[1] : "sample");
  printf("%s %d %zu %.3f %x\n", p, argc, strlen(p), argc / 3.0, (unsigned)argc * 77u);
  free(p);
  return 0;
}
