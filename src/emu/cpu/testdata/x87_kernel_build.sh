#!/bin/sh
# Rebuilds the x87 kernel blob (text + rodata linked at 0x400000, entry = kernel at its start)
# and its native golden output. Run from this directory.
set -e
gcc -O1 -fno-pic -fno-stack-protector -ffreestanding -fno-asynchronous-unwind-tables \
  -mno-red-zone -c -o /tmp/x87_kernel.o x87_kernel.c
ld -N -Ttext=0x400000 -e kernel -o /tmp/x87_kernel.elf /tmp/x87_kernel.o
objcopy -O binary /tmp/x87_kernel.elf x87_kernel.bin
gcc -O1 -o /tmp/x87_kernel_main x87_kernel_main.c /tmp/x87_kernel.o
/tmp/x87_kernel_main > x87_kernel_golden.json
