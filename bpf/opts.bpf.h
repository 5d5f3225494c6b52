/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* cap_capable()'s opts, which the trace event lacks, read off the kernel stack. */
#ifndef __CAPABILITY_EXPORTER_OPTS_BPF_H
#define __CAPABILITY_EXPORTER_OPTS_BPF_H

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
 * caller is one of kernel/capability.c's *_noaudit helpers. INSETID likewise: security_capable
 * called by ns_capable_setid(). Only the return-address slots just
 * above each boundary are looked at: a scan of the whole window would also find stale return
 * addresses that earlier, deeper calls left in unwritten stack slots (5 checks in a million).
 *
 * Why not bpf_get_stack(): an ORC unwind costs ~2 us a check on 6.18, 25 times what an empty
 * program adds; this reads 256 bytes (bench/RESULTS.md). Why not r10: since 6.13 a tracing
 * program with a large stack runs on a private per-CPU stack.
 */
/* The two options of cap_capable() a check event reports. */
struct check_opts {
	__u8 audit;   /* enum audit */
	__u8 insetid; /* 0, 1 or FLAG_UNKNOWN */
};

static __always_inline struct check_opts opts_from_stack(void *ctx)
{
	struct check_opts opts = { AUDIT_UNKNOWN, FLAG_UNKNOWN };
	__u64 words[SCAN_WORDS];
	int boundary = -1, lsm = -1;

	if (!config.enabled)
		return opts;
	/* A syscall's stack holds far more than 256 bytes above cap_capable (pt_regs is 168). */
	if (bpf_probe_read_kernel(words, sizeof(words), ctx))
		goto unknown;
	opts.insetid = 0;
	for (int i = 0; i < SCAN_WORDS; i++) {
		__u64 word = words[i];

		if (boundary < 0) {
			if (within(&config.cap_capable, word))
				boundary = i;
			continue;
		}
		if (i - boundary > CALLER_WORDS) {
			opts.audit = AUDIT_YES; /* another direct caller, such as cap_mmap_addr: audited */
			return opts;
		}
		if (within(&config.noaudit_callers[0], word) ||
		    within(&config.noaudit_callers[1], word)) {
			opts.audit = AUDIT_NO;
			return opts;
		}
		if (within(&config.security_capable, word)) {
			lsm = i;
			break;
		}
	}
	if (boundary < 0)
		goto unknown;
	opts.audit = AUDIT_YES;
	if (lsm < 0)
		return opts;
	for (int j = 1; j <= CALLER_WORDS; j++) {
		int k = lsm + j;
		__u64 word;

		if (k >= SCAN_WORDS)
			break;
		word = words[k & (SCAN_WORDS - 1)];
		if (within(&config.setid_wrapper, word)) {
			opts.insetid = 1;
			return opts;
		}
		for (int r = 0; r < WRAPPERS; r++) {
			if (within(&config.noaudit_wrappers[r], word)) {
				opts.audit = AUDIT_NO;
				return opts;
			}
		}
	}
	return opts;
unknown:
	opts.insetid = FLAG_UNKNOWN;
	bump(&stats, STAT_STACK_UNAVAILABLE);
	return opts;
}

#endif
