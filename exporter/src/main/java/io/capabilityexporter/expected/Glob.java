package io.capabilityexporter.expected;

import java.util.List;

/**
 * A shell-style pattern over a whole name: {@code *} is any run of characters ({@code /} included,
 * so {@code /system.slice/*} matches cgroup paths), {@code ?} is one character, anything else is
 * itself. {@code cilium-*} matches {@code cilium-x7k2p}; {@code ""} matches only the empty name.
 */
record Glob(String pattern) {

  /** Whether any of the patterns matches the name; an empty list stands for "any name". */
  static boolean anyMatches(List<Glob> globs, String name) {
    if (globs.isEmpty()) {
      return true;
    }
    for (Glob glob : globs) {
      if (glob.matches(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The greedy match with one backtrack point (the last {@code *}), linear for the patterns people
   * write, without compiling a regular expression.
   */
  boolean matches(String name) {
    int p = 0;
    int n = 0;
    int star = -1;
    int starMatched = 0;
    while (n < name.length()) {
      if (p < pattern.length()
          && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))
          && pattern.charAt(p) != '*') {
        p++;
        n++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        starMatched = n;
      } else if (star >= 0) {
        p = star + 1;
        n = ++starMatched;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
