package io.capabilityexporter.probe;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;

/**
 * The part of libbpf 1.x (Debian's libbpf1) the probe uses. Functions returning a pointer return
 * NULL and set errno on failure; functions returning int return a negative errno.
 */
interface Libbpf extends Library {

  /** Loaded on first use, so a missing libbpf is reported by {@link Preflight}, not a crash. */
  static Libbpf load() {
    return Native.load("libbpf.so.1", Libbpf.class);
  }

  /** libbpf_print_fn_t: (enum libbpf_print_level level, const char *fmt, va_list args). */
  interface PrintFn extends Callback {
    int invoke(int level, String format, Pointer vaList);
  }

  Pointer libbpf_set_print(PrintFn fn);

  int libbpf_num_possible_cpus();

  /**
   * The BTF id of a kernel attach target, negative when this kernel has none; for a tp_btf program
   * ({@code BPF_TRACE_RAW_TP}) {@code name} is the trace event's.
   */
  int libbpf_find_vmlinux_btf_id(String name, int attachType);

  /** enum bpf_attach_type's BPF_TRACE_RAW_TP. */
  int BPF_TRACE_RAW_TP = 23;

  Pointer bpf_object__open_mem(Pointer buffer, long size, Pointer opts);

  int bpf_object__load(Pointer object);

  void bpf_object__close(Pointer object);

  Pointer bpf_object__find_program_by_name(Pointer object, String name);

  Pointer bpf_object__find_map_by_name(Pointer object, String name);

  Pointer bpf_object__next_map(Pointer object, Pointer previous);

  String bpf_map__name(Pointer map);

  int bpf_map__fd(Pointer map);

  int bpf_map__set_max_entries(Pointer map, int maxEntries);

  int bpf_map__max_entries(Pointer map);

  Pointer bpf_map__initial_value(Pointer map, LongByReference size);

  int bpf_program__set_autoload(Pointer program, boolean autoload);

  int bpf_program__fd(Pointer program);

  /** opts: struct bpf_test_run_opts, see {@link ProgramTimer}. */
  int bpf_prog_test_run_opts(int programFd, Pointer opts);

  Pointer bpf_program__attach(Pointer program);

  int bpf_link__destroy(Pointer link);

  int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

  int bpf_map_delete_elem(int fd, Pointer key);

  int bpf_map_update_elem(int fd, Pointer key, Pointer value, long flags);

  int bpf_map_lookup_batch(
      int fd,
      Pointer inBatch,
      Pointer outBatch,
      Pointer keys,
      Pointer values,
      IntByReference count,
      Pointer opts);
}
