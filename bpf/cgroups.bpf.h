/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What user space learns of cgroups from the kernel (struct cgroup_event): each one of the
 * default hierarchy made or released, with its path, and each exec a container runtime enters
 * one for (runtime.bpf.h). User space names cgroups from these, never by walking the tree on a
 * hot path.
 */
#ifndef __CAPABILITY_EXPORTER_CGROUPS_BPF_H
#define __CAPABILITY_EXPORTER_CGROUPS_BPF_H

#include "shared.bpf.h"

/*
 * Cgroups of the default hierarchy as they are made and released, with the path the kernel's
 * trace events carry: user space learns names from here, never by walking the tree on a hot path.
 * cgroup_release comes when no css_set refers to the cgroup any more, so no check can be counted
 * in its block after it: the block is marked departed and kept for user space to read and free.
 */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024); /* sized at load: --bpf.cgroup-ring-size */
} cgroup_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cgroup_event);
} cgroup_event_scratch SEC(".maps");

/* cgroup v1 hierarchies (a hybrid host has both) number their cgroups apart: not ours. */
static __always_inline bool on_default_hierarchy(struct cgroup *cgrp)
{
	struct task_struct *task = bpf_get_current_task_btf();

	return cgrp->root == task->cgroups->dfl_cgrp->root;
}

static __always_inline void send_cgroup(struct cgroup *cgrp, const char *path, __u32 change)
{
	__u32 zero = 0;
	struct cgroup_event *event = bpf_map_lookup_elem(&cgroup_event_scratch, &zero);
	long len;

	if (!event)
		return;
	event->cgroup_id = cgrp->kn->id;
	event->change = change;
	len = bpf_probe_read_kernel_str(event->path, sizeof(event->path), path);
	if (len <= 0 || len > CGROUP_PATH_MAX)
		len = 1, event->path[0] = 0;
	event->path_len = len;
	if (bpf_ringbuf_output(&cgroup_events, event, offsetof(struct cgroup_event, path) + len, 0))
		bump(&stats, STAT_CGROUP_RING_FULL);
}

/* A runtime entered the cgroup for an exec (runtime.bpf.h): no path, the cgroup is known. */
static __always_inline void send_entered(__u64 cgroup_id)
{
	__u32 zero = 0;
	struct cgroup_event *event = bpf_map_lookup_elem(&cgroup_event_scratch, &zero);

	if (!event)
		return;
	event->cgroup_id = cgroup_id;
	event->change = CGROUP_ENTERED;
	event->path_len = 1;
	event->path[0] = 0;
	if (bpf_ringbuf_output(&cgroup_events, event, offsetof(struct cgroup_event, path) + 1, 0))
		bump(&stats, STAT_CGROUP_RING_FULL);
}

#endif /* __CAPABILITY_EXPORTER_CGROUPS_BPF_H */
