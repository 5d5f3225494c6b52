/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What every part of the program uses: the configuration user space writes into .rodata before
 * load (struct capable_config), and the stats counters with bump().
 */
#ifndef __CAPABILITY_EXPORTER_SHARED_BPF_H
#define __CAPABILITY_EXPORTER_SHARED_BPF_H

#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include "capable.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, STAT_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

const volatile struct capable_config config;

/* Capability numbers the programs name (include/uapi/linux/capability.h). */
#define CAP_DAC_OVERRIDE 1
#define CAP_DAC_READ_SEARCH 2
#define CAP_SETGID 6
#define CAP_SETUID 7
#define CAP_NET_ADMIN 12
#define CAP_NET_RAW 13
#define CAP_SYS_ADMIN 21
#define CAP_SYS_NICE 23
#define CAP_SYSLOG 34
#define CAP_PERFMON 38
#define CAP_BPF 39
#define CAP_CHECKPOINT_RESTORE 40

static __always_inline void bump(void *map, __u32 index)
{
	__u64 *value = bpf_map_lookup_elem(map, &index);

	if (value)
		__sync_fetch_and_add(value, 1);
}

#endif /* __CAPABILITY_EXPORTER_SHARED_BPF_H */
