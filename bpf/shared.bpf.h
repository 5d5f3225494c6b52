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

static __always_inline void bump(void *map, __u32 index)
{
	__u64 *value = bpf_map_lookup_elem(map, &index);

	if (value)
		__sync_fetch_and_add(value, 1);
}

#endif /* __CAPABILITY_EXPORTER_SHARED_BPF_H */
