package io.capabilityexporter.yaml;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** The "did you mean" of an error: the known word closest to a typo, if it is close enough. */
public final class Suggestion {
  private static final int MAX_EDITS = 2;

  private Suggestion() {}

  /** {@code SYS_ADMN} among the capability names: {@code SYS_ADMIN}. */
  private static Optional<String> closest(String typo, Collection<String> known) {
    String wanted = typo.toUpperCase(Locale.ROOT);
    String best = null;
    int bestEdits = MAX_EDITS + 1;
    for (String candidate : known) {
      int edits = edits(wanted, candidate.toUpperCase(Locale.ROOT));
      if (edits < bestEdits && edits < wanted.length()) {
        best = candidate;
        bestEdits = edits;
      }
    }
    return Optional.ofNullable(best);
  }

  /** " (did you mean SYS_ADMIN?)", or "" when nothing is close. */
  public static String didYouMean(String typo, Collection<String> known) {
    return closest(typo, known).map(word -> " (did you mean " + word + "?)").orElse("");
  }

  /** Levenshtein distance. */
  private static int edits(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
