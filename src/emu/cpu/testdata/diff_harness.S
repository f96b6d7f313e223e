# run_case(in, out, code): loads the 16 GPRs (except rsp) and RFLAGS from `in`, calls `code`,
# stores the resulting GPRs and RFLAGS into `out`. Layout: r[16] (rax..r15, encoding order),
# then rflags at offset 128.
        .text
        .globl run_case
run_case:
        push %rbx
        push %rbp
        push %r12
        push %r13
        push %r14
        push %r15
        mov %rsi, out_ptr(%rip)
        mov %rdx, code_ptr(%rip)
        mov 0(%rdi), %rax
        mov 8(%rdi), %rcx
        mov 16(%rdi), %rdx
        mov 24(%rdi), %rbx
        mov 40(%rdi), %rbp
        mov 48(%rdi), %rsi
        mov 64(%rdi), %r8
        mov 72(%rdi), %r9
        mov 80(%rdi), %r10
        mov 88(%rdi), %r11
        mov 96(%rdi), %r12
        mov 104(%rdi), %r13
        mov 112(%rdi), %r14
        mov 120(%rdi), %r15
        push 128(%rdi)
        mov 56(%rdi), %rdi
        popfq
        call *code_ptr(%rip)
        pushfq
        push %rdi
        mov out_ptr(%rip), %rdi
        pop 56(%rdi)
        pop 128(%rdi)
        mov %rax, 0(%rdi)
        mov %rcx, 8(%rdi)
        mov %rdx, 16(%rdi)
        mov %rbx, 24(%rdi)
        mov %rbp, 40(%rdi)
        mov %rsi, 48(%rdi)
        mov %r8, 64(%rdi)
        mov %r9, 72(%rdi)
        mov %r10, 80(%rdi)
        mov %r11, 88(%rdi)
        mov %r12, 96(%rdi)
        mov %r13, 104(%rdi)
        mov %r14, 112(%rdi)
        mov %r15, 120(%rdi)
        cld
        pop %r15
        pop %r14
        pop %r13
        pop %r12
        pop %rbp
        pop %rbx
        ret

        .bss
        .align 8
out_ptr: .quad 0
code_ptr: .quad 0
        .section .note.GNU-stack,"",@progbits
