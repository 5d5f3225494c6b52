/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* cap_capable()'s opts, which the trace event lacks, read off the kernel stack. */
#ifndef __CAPABILITY_EXPORTER_OPTS_BPF_H
#define __CAPABILITY_EXPORTER_OPTS_BPF_H

#include "shared.bpf.h"
#include "task.bpf.h"

/*
 * Whether a word of the stack is a return address into the function: strictly after its first
 * byte, which a return address never is (it follows a call instruction) and a function pointer
 * always is. A pointer to cap_vm_enough_memory spilled next to cap_capable's frame was once taken
 * for its caller's return address, and the frame layout learned from it called every mmap's
 * noaudit check audited.
 */
static __always_inline bool within(const volatile struct text_range *range, __u64 address)
{
	return address > range->start && address < range->end;
}

/*
 * Without opts, NOAUDIT is recognised by who called cap_capable, read off the return addresses
 * on the kernel stack. ctx is the u64 args[] array in bpf_trace_run5()'s frame, so the words
 * above it hold, in order: the return address into cap_capable, cap_capable's frame and its
 * return address into its caller, that caller's frame and return address, and so on.
 *
 * The check is noaudit when cap_capable's caller is the vm_enough_memory hook (every mmap and
 * brk asks SYS_ADMIN that way), or when its caller is security_capable and security_capable's
 * caller is one of kernel/capability.c's *_noaudit helpers. INSETID likewise: security_capable
 * called by ns_capable_setid(). Only the return-address slots just
 * above each boundary are looked at: a scan of the whole window would also find stale return
 * addresses that earlier, deeper calls left in unwritten stack slots (5 checks in a million).
 *
 * Why not bpf_get_stack(): an ORC unwind costs ~2 us a check on 6.18, 25 times what an empty
 * program adds (bench/RESULTS.md). Why not r10: since 6.13 a tracing program with a large stack
 * runs on a private per-CPU stack.
 */

/* The two options of cap_capable() a check event reports. */
struct check_opts {
	__u8 audit;   /* enum audit */
	__u8 insetid; /* 0, 1 or FLAG_UNKNOWN */
};

/*
 * The fast way: on one kernel build the return addresses above ctx sit at fixed word offsets,
 * one layout while this is the only program on the tracepoint (a static call straight to it)
 * and another once programs share it (dispatch through __traceiter_cap_capable). The program
 * learns both from checks it scanned (learn()), then per check confirms a layout with one
 * compare (the word holds the exact return address into cap_capable) and reads the two callers'
 * return addresses with plain loads: bpf_rdonly_cast(ctx, 0) makes them direct loads the JIT
 * guards, ~3 ns against ~30 for a bpf_probe_read_kernel() call (bench/RESULTS.md). Where neither
 * layout matches (a new dispatch, or not learned yet) the check is scanned as before.
 */

struct frame_layout {
	__u64 cap_return;    /* the return address into cap_capable */
	__u32 at[2];         /* its word index above ctx, per dispatch; 0: not learned */
	__u32 caller;        /* words from there up to cap_capable's caller's return address */
	__u32 lsm_caller;    /* words from that up to security_capable's caller's; 0: not learned */
};

struct frame_layout layout;

/*
 * What a scan found: the word indexes of the return addresses into cap_capable, into its caller
 * and (on the LSM path, when a wrapper matched) into security_capable's caller; -1 where not.
 */
struct scan_marks {
	int boundary;
	int lsm;
	int wrapper;
};

/*
 * cap_capable's caller is the vm_enough_memory hook, which asks without auditing; or capset,
 * which asks CAP_SETPCAP only to know whether the inheritable set may grow (cap_inh_is_capped()):
 * a program lowering its capabilities is never refused for it, so it is a probe as well.
 */
static __always_inline bool noaudit_caller(__u64 address)
{
	return within(&config.noaudit_callers[0], address) ||
	       within(&config.noaudit_callers[1], address) ||
	       within(&config.noaudit_callers[2], address);
}

/*
 * security_capable's caller, when it is a wrapper that sets an option: ns_capable_setid()
 * (INSETID) or a *_noaudit helper (NOAUDIT). False for any other caller (audited).
 */
static __always_inline bool wrapper_opts(__u64 address, struct check_opts *opts)
{
	if (within(&config.setid_wrapper, address)) {
		opts->insetid = 1;
		return true;
	}
	for (int r = 0; r < WRAPPERS; r++) {
		if (within(&config.noaudit_wrappers[r], address)) {
			opts->audit = AUDIT_NO;
			return true;
		}
	}
	return false;
}

static __always_inline struct check_opts classify(__u64 caller, __u64 lsm_caller)
{
	struct check_opts opts = { AUDIT_YES, 0 };

	if (noaudit_caller(caller)) {
		opts.audit = AUDIT_NO;
		return opts;
	}
	if (within(&config.security_capable, caller))
		wrapper_opts(lsm_caller, &opts);
	return opts; /* another direct caller, such as cap_mmap_addr: audited */
}

/*
 * Learns a layout only from a scan that found cap_capable and a known caller right above it, so
 * a stale return address left in an unwritten slot is not taken for a frame. The caller's
 * distance is the same in both dispatches (it is cap_capable's frame), and so is
 * security_capable's; only where cap_capable's return address sits differs. Races between CPUs
 * write the same values.
 */
static __always_inline void learn(__u64 *words, struct scan_marks marks)
{
	__u32 at = marks.boundary, caller = marks.lsm - marks.boundary;

	if (marks.boundary <= 0 || marks.lsm <= marks.boundary || marks.boundary >= SCAN_WORDS)
		return;
	if (layout.caller && layout.caller != caller)
		return;
	if (!layout.cap_return) {
		layout.cap_return = words[marks.boundary & (SCAN_WORDS - 1)];
		layout.caller = caller;
	}
	if (words[marks.boundary & (SCAN_WORDS - 1)] != layout.cap_return)
		return;
	if (marks.wrapper > marks.lsm && !layout.lsm_caller)
		layout.lsm_caller = marks.wrapper - marks.lsm;
	if (layout.at[0] == 0) {
		if (__sync_val_compare_and_swap(&layout.at[0], 0, at) == 0)
			bump(&stats, STAT_LAYOUTS_LEARNED);
	} else if (layout.at[0] != at && layout.at[1] == 0) {
		if (__sync_val_compare_and_swap(&layout.at[1], 0, at) == 0)
			bump(&stats, STAT_LAYOUTS_LEARNED);
	}
}

/* The fast way; false where no learned layout matches this check. */
static __always_inline bool opts_from_layout(void *ctx, struct check_opts *opts)
{
	__u64 *words = bpf_rdonly_cast(ctx, 0);
	__u32 caller = layout.caller, lsm_caller = layout.lsm_caller;

	if (!layout.cap_return || caller >= SCAN_WORDS || lsm_caller >= SCAN_WORDS)
		return false;
	for (int d = 0; d < 2; d++) {
		__u32 at = layout.at[d];
		__u64 up;

		if (at == 0 || at >= SCAN_WORDS || words[at] != layout.cap_return)
			continue;
		up = words[at + caller];
		if (within(&config.security_capable, up) && !lsm_caller)
			return false; /* the LSM path's layout is not learned yet */
		*opts = classify(up, words[at + caller + lsm_caller]);
		return true;
	}
	return false;
}

/*
 * The slow way: scans SCAN_WORDS words above ctx, copied with one bpf_probe_read_kernel(), for
 * the boundaries. Only the return-address slots just above each boundary are looked at.
 */
static __always_inline struct check_opts scan(void *ctx)
{
	struct check_opts opts = { AUDIT_UNKNOWN, FLAG_UNKNOWN };
	struct scan_marks marks = { -1, -1, -1 };
	__u64 words[SCAN_WORDS];

	/* A syscall's stack holds far more than 256 bytes above cap_capable (pt_regs is 168). */
	if (bpf_probe_read_kernel(words, sizeof(words), ctx))
		goto unknown;
	opts.insetid = 0;
	for (int i = 0; i < SCAN_WORDS; i++) {
		__u64 word = words[i];

		if (marks.boundary < 0) {
			if (within(&config.cap_capable, word))
				marks.boundary = i;
			continue;
		}
		if (i - marks.boundary > CALLER_WORDS) {
			opts.audit = AUDIT_YES; /* another direct caller, such as cap_mmap_addr: audited */
			return opts;
		}
		if (noaudit_caller(word)) {
			marks.lsm = i;
			learn(words, marks);
			opts.audit = AUDIT_NO;
			return opts;
		}
		if (within(&config.security_capable, word)) {
			marks.lsm = i;
			break;
		}
	}
	if (marks.boundary < 0)
		goto unknown;
	opts.audit = AUDIT_YES;
	if (marks.lsm < 0)
		return opts;
	for (int j = 1; j <= CALLER_WORDS; j++) {
		int k = marks.lsm + j;

		if (k >= SCAN_WORDS)
			break;
		if (wrapper_opts(words[k & (SCAN_WORDS - 1)], &opts)) {
			marks.wrapper = k;
			break;
		}
	}
	learn(words, marks);
	return opts;
unknown:
	opts.insetid = FLAG_UNKNOWN;
	bump(&stats, STAT_STACK_UNAVAILABLE);
	return opts;
}

/*
 * The scan as a global function, so the verifier checks it once, not once per path that reaches
 * it (with VERIFY both ways inline exceeded its limit). A global function returns a scalar: audit
 * in the low byte, insetid in the next. "arg:ctx" tells the verifier its argument is the
 * program's context (Linux 6.8+; the tp_btf hook needs 6.14).
 */
__noinline __u32 scan_stack(void *ctx __attribute__((btf_decl_tag("arg:ctx"))))
{
	struct check_opts opts = scan(ctx);

	return opts.audit | (__u32)opts.insetid << 8;
}

static __always_inline struct check_opts opts_from_scan(void *ctx)
{
	__u32 packed = scan_stack(ctx);

	return (struct check_opts){ packed & 0xff, (packed >> 8) & 0xff };
}

static __always_inline struct check_opts opts_from_stack(void *ctx)
{
	struct check_opts fast, slow;

	if (!config.enabled)
		return (struct check_opts){ AUDIT_UNKNOWN, FLAG_UNKNOWN };
	if (config.audit_mode == AUDIT_SCAN_ONLY || !config.direct_loads)
		return opts_from_scan(ctx);
	if (!opts_from_layout(ctx, &fast)) {
		bump(&stats, STAT_AUDIT_SCANNED);
		return opts_from_scan(ctx);
	}
	if (config.audit_mode == AUDIT_VERIFY) {
		bump(&stats, STAT_AUDIT_FIXED);
		slow = opts_from_scan(ctx);
		if (slow.audit != fast.audit || slow.insetid != fast.insetid)
			bump(&stats, STAT_AUDIT_DISAGREED);
	}
	return fast;
}

#endif
