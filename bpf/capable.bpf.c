// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Counts every capability check the kernel makes, in the kernel, per
 * (cgroup, capability, verdict, audit). User space reads the counts map at scrape time, so
 * the counters are exact at any rate and nothing crosses into user space per check.
 *
 * Two hooks, one attached at a time (the exporter picks at run time):
 *   tp_btf/cap_capable  Linux >= 6.14 ("security: add trace event for cap_capable"); no opts,
 *                       so audit is derived from the callers' frames on the kernel stack.
 *   fexit/cap_capable   Linux >= 5.5 with BTF; opts says NOAUDIT directly.
 */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "capable.h"

/* include/linux/security.h */
#define CAP_OPT_NOAUDIT (1U << 1)

/*
 * Sized from what it holds: one entry per (cgroup, capability, verdict, audit) seen. No
 * preallocation, so an idle node pays for what it uses, not for max_entries (a preallocated
 * 1M-entry map once cost another tool ~44 MiB per instance). The exporter may resize it.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct count_key);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, OVERFLOW_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} counts_overflow SEC(".maps");

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

/*
 * The percpu value needs an atomic add all the same: on preemptible kernels BPF programs run
 * with migration, not preemption, disabled, so two tasks on one CPU can interleave.
 */
static __always_inline void count(const struct cred *cred, int cap, int ret, __u8 audit)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct count_key key = {};
	__u64 one = 1, *value;
	long err;

	/*
	 * A cred that is not the caller's own is a check the caller never asked for: overridden
	 * credentials (overlayfs copy-up) or a question about another task (the OOM killer's
	 * has_capability_noaudit). Counting it would blame the wrong cgroup.
	 */
	if (cred != task->real_cred) {
		bump(&stats, STAT_FOREIGN_CRED);
		return;
	}

	key.cgroup_id = bpf_get_current_cgroup_id();
	key.cap = (__u32)cap;
	key.verdict = ret == 0 ? VERDICT_ALLOW : VERDICT_DENY;
	key.audit = audit;

	value = bpf_map_lookup_elem(&counts, &key);
	if (value) {
		__sync_fetch_and_add(value, 1);
		return;
	}
	err = bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);
	if (err == 0)
		return;
	/* Another CPU inserted the same key first. */
	value = bpf_map_lookup_elem(&counts, &key);
	if (value) {
		__sync_fetch_and_add(value, 1);
		return;
	}
	bump(&stats, STAT_COUNTS_MAP_FULL);
	bump(&counts_overflow, OVERFLOW_INDEX(key.cap, key.verdict, key.audit));
}

static __always_inline bool within(const volatile struct text_range *range, __u64 address)
{
	return address >= range->start && address < range->end;
}

/*
 * Without opts, NOAUDIT is recognised by who called cap_capable, read off the return addresses
 * on the kernel stack. ctx is the u64 args[] array in bpf_trace_run5()'s frame, so the words
 * above it hold, in order: the return address into cap_capable, cap_capable's frame and its
 * return address into its caller, that caller's frame and return address, and so on.
 *
 * The check is noaudit when cap_capable's caller is the vm_enough_memory hook (every mmap and
 * brk asks SYS_ADMIN that way), or when its caller is security_capable and security_capable's
 * caller is one of kernel/capability.c's *_noaudit helpers. Only the return-address slots just
 * above each boundary are looked at: a scan of the whole window would also find stale return
 * addresses that earlier, deeper calls left in unwritten stack slots (5 checks in a million).
 *
 * Why not bpf_get_stack(): an ORC unwind costs ~2 us a check on 6.18, 25 times what an empty
 * program adds; this reads 256 bytes (bench/RESULTS.md). Why not r10: since 6.13 a tracing
 * program with a large stack runs on a private per-CPU stack.
 */
static __always_inline __u8 audit_from_stack(void *ctx)
{
	__u64 words[SCAN_WORDS];
	int boundary = -1, lsm = -1;

	if (!config.enabled)
		return AUDIT_UNKNOWN;
	/* A syscall's stack holds far more than 256 bytes above cap_capable (pt_regs is 168). */
	if (bpf_probe_read_kernel(words, sizeof(words), ctx))
		goto unknown;
	for (int i = 0; i < SCAN_WORDS; i++) {
		__u64 word = words[i];

		if (boundary < 0) {
			if (within(&config.cap_capable, word))
				boundary = i;
			continue;
		}
		if (i - boundary > CALLER_WORDS)
			return AUDIT_YES; /* another direct caller, such as cap_mmap_addr: audited */
		if (within(&config.noaudit_callers[0], word) || within(&config.noaudit_callers[1], word))
			return AUDIT_NO;
		if (within(&config.security_capable, word)) {
			lsm = i;
			break;
		}
	}
	if (boundary < 0)
		goto unknown;
	if (lsm < 0)
		return AUDIT_YES;
	for (int j = 1; j <= CALLER_WORDS; j++) {
		int k = lsm + j;
		__u64 word;

		if (k >= SCAN_WORDS)
			break;
		word = words[k & (SCAN_WORDS - 1)];
		for (int r = 0; r < WRAPPERS; r++) {
			if (within(&config.noaudit_wrappers[r], word))
				return AUDIT_NO;
		}
	}
	return AUDIT_YES;
unknown:
	bump(&stats, STAT_STACK_UNAVAILABLE);
	return AUDIT_UNKNOWN;
}

SEC("tp_btf/cap_capable")
int BPF_PROG(cap_capable_tp, const struct cred *cred, struct user_namespace *target_ns,
	     const struct user_namespace *capable_ns, int cap, int ret)
{
	count(cred, cap, ret, audit_from_stack(ctx));
	return 0;
}

SEC("fexit/cap_capable")
int BPF_PROG(cap_capable_fexit, const struct cred *cred, struct user_namespace *target_ns,
	     int cap, unsigned int opts, int ret)
{
	count(cred, cap, ret, (opts & CAP_OPT_NOAUDIT) ? AUDIT_NO : AUDIT_YES);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
