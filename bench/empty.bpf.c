// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The baseline of the overhead benchmark: a program on the same hook that does nothing. */
#include "../bpf/kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("tp_btf/cap_capable")
int BPF_PROG(cap_capable_empty)
{
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
