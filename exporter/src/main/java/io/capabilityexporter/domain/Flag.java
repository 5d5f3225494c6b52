package io.capabilityexporter.domain;

/**
 * A yes or no the kernel may not have been able to tell: whether it audits a check (a hook that
 * cannot see the caller's flags), whether a check is for a set-id operation. The order is that of
 * {@code enum audit} in bpf/capable.h.
 */
public enum Flag {
  NO,
  YES,
  UNKNOWN
}
