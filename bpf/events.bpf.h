/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Check events for trace, OTLP and profiles: one record per new (cgroup, process and program,
 * capability, verdict, audit, syscall, user namespace depth) in a window, carrying how many
 * checks it stands for, and one for the repeats of that window when it ends (flush_folds). A hot
 * loop costs two records a window, not one per check; the first check of every window is always
 * sent, so a deny is never folded away, and a full ring is counted, never silent. The counters
 * are not touched.
 */
#ifndef __CAPABILITY_EXPORTER_EVENTS_BPF_H
#define __CAPABILITY_EXPORTER_EVENTS_BPF_H

#include "shared.bpf.h"
#include <bpf/bpf_core_read.h>
#include "opts.bpf.h"
#include "task.bpf.h"

/* The exporter sizes it before load (power of two, pages). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

/*
 * A plain hash, not an LRU: an LRU would evict a tuple silently, with repeats not yet reported.
 * Here flush_folds reports the repeats of every window that ended and deletes tuples idle for a
 * whole window; when the map is full a check is sent on its own, unfolded. Either way the counts
 * of the events add up to the checks.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct fold_key);
	__type(value, struct fold_value);
} folds SEC(".maps");

/*
 * Each CPU's last check, in front of the fold map: most repeats are one task asking the same
 * thing in a loop, and an array lookup is inlined where a hash lookup is a call that hashes the
 * key (~30 ns a check here, bench/RESULTS.md). Indexed by CPU, not per-CPU, so that flush_folds
 * can take every CPU's repeats without bpf_map_lookup_percpu_elem (Linux 6.0). User space sizes
 * it to the possible CPUs before load.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fold_cache);
} fold_cache SEC(".maps");

/* A fold_value is too big for the stack beside the rest. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fold_value);
} fold_scratch SEC(".maps");

/* Kernel stacks for --print-stack; the exporter shrinks it to one entry otherwise. */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1024);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 127 * sizeof(__u64));
} stacks SEC(".maps");

/*
 * The ring carries untyped bytes: this pointer puts struct check_event in the object's BTF, so
 * the exporter's tests can hold Java's mirror of it to the compiler's layout.
 */
struct check_event *check_event_layout __attribute__((unused));

/*
 * The window of check events: flush_folds starts a new one each time it runs (once a window,
 * driven by user space), so a check compares one number, not a clock: reading the boot clock
 * cost ~65 ns a check here (bench/RESULTS.md).
 */
__u64 event_epoch;

/* The event of a check, all but its count: what the check and its task say. */
static __always_inline void fill_event(struct check_event *event, void *ctx,
				       struct task_struct *task, const struct cred *cred,
				       const struct user_namespace *target_ns,
				       const struct fold_key *key, struct check_opts opts,
				       __u32 lineage)
{
	event->boot_ns = bpf_ktime_get_boot_ns();
	event->cgroup_id = key->cgroup_id;
	event->count = 1;
	bpf_core_read(&event->effective_caps, sizeof(event->effective_caps), &cred->cap_effective);
	event->target_userns = BPF_CORE_READ(target_ns, ns.inum);
	event->current_userns = BPF_CORE_READ(cred, user_ns, ns.inum);
	event->mntns = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
	event->pid = key->pid;
	event->tid = task->pid;
	event->uid = BPF_CORE_READ(cred, uid.val);
	event->gid = BPF_CORE_READ(cred, gid.val);
	event->cap = key->cap;
	event->syscall = key->syscall;
	event->stack_id = config.stacks ? bpf_get_stackid(ctx, &stacks, 0) : -1;
	event->verdict = key->verdict;
	event->audit = opts.audit;
	event->insetid = opts.insetid;
	event->userns_level = key->userns_level;
	event->origin = key->origin;
	event->lineage = lineage;
	bpf_get_current_comm(event->comm, sizeof(event->comm));
}

/* The fold key of a check of the current task. */
static __always_inline void key_of(struct fold_key *key, struct task_struct *task,
				   __u64 cgroup_id, int cap, __u8 verdict, __u8 audit,
				   __u8 userns_level, __u8 origin)
{
	key->cgroup_id = cgroup_id;
	key->pid = task->tgid;
	key->cap = (__u32)cap;
	key->syscall = syscall_nr(task);
	key->exec_id = (__u32)task->self_exec_id;
	key->verdict = verdict;
	key->audit = audit;
	key->userns_level = userns_level;
	key->origin = origin;
}

/* Room in the ring for the event of a check that is no repeat; null (counted) when full. */
static __always_inline struct check_event *reserve_event(struct fold_value *fold)
{
	struct check_event *event = bpf_ringbuf_reserve(&events, sizeof(*event), 0);

	if (!event) {
		bump(&stats, STAT_RING_FULL);
		if (fold)
			__sync_fetch_and_add(&fold->repeats, 1);
	}
	return event;
}

/* Sends a filled event with the repeats its tuple gathered since the last one. */
static __always_inline void submit_event(const struct fold_key *key, struct fold_value *fold,
					 struct check_event *event)
{
	struct fold_value *fresh;
	__u32 zero = 0;

	event->count = 1 + (fold ? __sync_lock_test_and_set(&fold->repeats, 0) : 0);
	if (fold) {
		fold->epoch = event_epoch;
		fold->last = *event;
	} else {
		fresh = bpf_map_lookup_elem(&fold_scratch, &zero);
		if (fresh) {
			fresh->epoch = event_epoch;
			fresh->repeats = 0;
			fresh->last = *event;
			/* Full, or another CPU came first: this event stands alone, still counted. */
			bpf_map_update_elem(&folds, key, fresh, BPF_NOEXIST);
		}
	}
	bpf_ringbuf_submit(event, 0);
}

/* The tuple's entry when this window already sent its event: then the check is a repeat. */
static __always_inline bool repeat(const struct fold_key *key, struct fold_value **fold)
{
	*fold = bpf_map_lookup_elem(&folds, key);
	if (*fold && (*fold)->epoch == event_epoch) {
		__sync_fetch_and_add(&(*fold)->repeats, 1);
		return true;
	}
	return false;
}

/*
 * The cache's word: the repeats not yet in the fold map (low bits) and how many times its CPU
 * has changed the cached key (high bits). The CPU adds repeats with an atomic add and takes them
 * back with an exchange that also moves the generation on before it writes a new key; another
 * CPU (flush_folds) takes them with a compare-and-swap of the word it read before copying the
 * key, so it takes them only if the key it copied is the one they were counted under.
 */
#define CACHE_REPEATS_MASK ((1ULL << 40) - 1)
#define CACHE_GENERATION (1ULL << 40)

static __always_inline bool same_key(const struct fold_key *a, const struct fold_key *b)
{
	const __u64 *x = (const __u64 *)a, *y = (const __u64 *)b;

	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2] && x[3] == y[3];
}

/* Adds repeats taken from a cache to their tuple's entry; counted as lost if it has gone. */
static __always_inline void add_repeats(const struct fold_key *key, __u64 repeats)
{
	struct fold_value *fold = bpf_map_lookup_elem(&folds, key);

	if (fold)
		__sync_fetch_and_add(&fold->repeats, repeats);
	else
		bump(&stats, STAT_REPEATS_LOST);
}

/* A repeat of this CPU's last check in this window: counted in the cache, nothing else. */
static __always_inline bool cached_repeat(struct fold_cache *cache, const struct fold_key *key,
					  __u64 epoch)
{
	if (cache->valid_epoch != epoch + 1 || !same_key(&cache->key, key))
		return false;
	__sync_fetch_and_add(&cache->word, 1);
	return true;
}

/* Makes key this CPU's last check, its tuple's entry now holding this window's event. */
static __always_inline void cache_key(struct fold_cache *cache, const struct fold_key *key,
				      __u64 epoch)
{
	__u64 word = cache->word;
	__u64 taken = __sync_lock_test_and_set(&cache->word,
					       (word & ~CACHE_REPEATS_MASK) + CACHE_GENERATION);

	if (taken & CACHE_REPEATS_MASK)
		add_repeats(&cache->key, taken & CACHE_REPEATS_MASK);
	cache->key = *key;
	cache->valid_epoch = epoch + 1;
}

static __always_inline void send_event(void *ctx, struct task_struct *task,
				       const struct cred *cred,
				       const struct user_namespace *target_ns, __u64 cgroup_id,
				       int cap, __u8 verdict, struct check_opts opts,
				       __u8 userns_level, __u8 origin, __u32 lineage)
{
	struct fold_value *fold;
	struct check_event *event;
	struct fold_key key = {};

	struct fold_cache *cache;
	__u64 epoch = event_epoch;
	__u32 cpu = bpf_get_smp_processor_id();

	if (config.audited_events && opts.audit == AUDIT_NO)
		return;
	key_of(&key, task, cgroup_id, cap, verdict, opts.audit, userns_level, origin);
	cache = bpf_map_lookup_elem(&fold_cache, &cpu);
	if (cache && cached_repeat(cache, &key, epoch))
		return;
	if (repeat(&key, &fold)) {
		if (cache)
			cache_key(cache, &key, epoch);
		return;
	}
	event = reserve_event(fold);
	if (!event)
		return;
	fill_event(event, ctx, task, cred, target_ns, &key, opts, lineage);
	submit_event(&key, fold, event);
}

/* Sends an event filled earlier (a deny whose class was not known then), with its verdict now. */
static __always_inline void send_filled(const struct check_event *filled, __u32 exec_id,
					__u8 verdict)
{
	struct fold_value *fold;
	struct check_event *event;
	struct fold_key key = {};

	key.cgroup_id = filled->cgroup_id;
	key.pid = filled->pid;
	key.cap = filled->cap;
	key.syscall = filled->syscall;
	key.exec_id = exec_id;
	key.verdict = verdict;
	key.audit = filled->audit;
	key.userns_level = filled->userns_level;
	key.origin = filled->origin;
	if (repeat(&key, &fold))
		return;
	event = reserve_event(fold);
	if (!event)
		return;
	*event = *filled;
	event->verdict = verdict;
	submit_event(&key, fold, event);
}

struct flush_state {
	__u64 ended; /* the epoch that just ended */
	__u32 all;
	__u32 stopped; /* the ring was full: repeats still pending */
};

/*
 * Reports the repeats a tuple gathered in a window that has ended: an event with the last one's
 * fields and count = the repeats. A tuple idle for a whole window is deleted; a check that comes
 * meanwhile finds its window over and is sent as a new event, so nothing it adds is lost (and the
 * repeats are taken with one atomic exchange, whoever comes first).
 */
static long flush_one(void *map, struct fold_key *key, struct fold_value *fold,
		      struct flush_state *state)
{
	struct check_event *event;
	__u64 repeats;

	if (!state->all && fold->epoch > state->ended)
		return 0; /* its window is the one that has just begun */
	repeats = __sync_lock_test_and_set(&fold->repeats, 0);
	if (repeats == 0) {
		if (state->all || fold->epoch < state->ended)
			bpf_map_delete_elem(map, key);
		return 0;
	}
	event = bpf_ringbuf_reserve(&events, sizeof(*event), 0);
	if (!event) {
		__sync_fetch_and_add(&fold->repeats, repeats); /* the next flush tries again */
		state->stopped = 1;
		return 1;
	}
	*event = fold->last;
	event->boot_ns = bpf_ktime_get_boot_ns(); /* when reported: the repeats came since the last */
	event->count = repeats;
	event->stack_id = -1;
	bpf_ringbuf_submit(event, 0);
	return 0;
}

/* Takes a CPU's cached repeats into the fold map, unless that CPU is changing its key. */
static long drain_cache(void *map, __u32 *cpu, struct fold_cache *cache, void *unused)
{
	__u64 word = __sync_fetch_and_add(&cache->word, 0);
	struct fold_key key;

	if (!(word & CACHE_REPEATS_MASK))
		return 0;
	key = cache->key;
	if (__sync_val_compare_and_swap(&cache->word, word, word & ~CACHE_REPEATS_MASK) == word)
		add_repeats(&key, word & CACHE_REPEATS_MASK);
	/* else its CPU took them itself, or added more: the next window's flush finds them */
	return 0;
}

SEC("syscall")
int flush_folds(struct flush_args *args)
{
	struct flush_state state = { __sync_fetch_and_add(&event_epoch, 1), args->all, 0 };

	/* After the window has moved on, so no CPU counts in its cache for the one that ended. */
	bpf_for_each_map_elem(&fold_cache, drain_cache, NULL, 0);
	bpf_for_each_map_elem(&folds, flush_one, &state, 0);
	return state.stopped; /* 1: run again once the ring has been read */
}

#endif
