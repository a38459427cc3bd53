package org.bulwark.failover;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Random;
import org.bulwark.api.config.ConfigurationError;
import org.junit.Test;

/**
 * Rules mangled at random (seeded: a failure prints the seed and the text) are either accepted or
 * refused with errors inside the section, never with an exception: {@code confcheck} must answer
 * whatever an administrator wrote.
 */
public class MutationFuzzTest {

  private static final String NATIVE =
      "/* rules */\n"
          + "      custom_failure: if (custom.AppChecker == down) then stopstart();\n"
          + "      both: if ((tcp.db == down || remote.tcp.db != up) && !(cluster() == down)) then stop();\n"
          + "      load: if (connections.10.0.0.1 >= 80%) then swap();\n"
          + "      force: if (heartbeat.* == down && rfs.synced == up) then rfs.uptodate=up;\n";

  private static final String LUA =
      "--Lua Rules\n"
          + "      Rules.disable(\"ip_failure\")\n"
          + "      Rules = Rules + { a=if_then(\"tcp.?\",\"down\",Action.restart), _group=\"checker\" }\n"
          + "      --[[ comment ]] Rules = Rules + { b=if_then('ping.gw','down',Action.wait) }\n";

  private static final String ALPHABET = "()!=&|;:{}\"'.*?%,+-/ \n\tabcdefgxyz019_";

  @Test
  public void mangledRulesAreAnsweredWithErrorsInsideTheSection() {
    long seed = Long.getLong("fuzz.seed", 20261204L);
    Random rnd = new Random(seed);
    int refused = 0;
    for (int i = 0; i < 4000; i++) {
      String base = rnd.nextBoolean() ? NATIVE : LUA;
      String text = mutate(base, rnd, 1 + rnd.nextInt(4));
      int lines = (int) text.chars().filter(c -> c == '\n').count();
      FailoverRules.Compiled c;
      try {
        c = FailoverRules.mirror().section(text, 100, 7).compile();
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + " case " + i + ": " + e + " on\n" + text, e);
      }
      if (c.ok()) {
        continue;
      }
      refused++;
      assertTrue(c.rules().isEmpty());
      for (ConfigurationError e : c.errors()) {
        if (e.line() < 100 || e.line() > 100 + lines || e.column() < 1 || e.message().isBlank()) {
          fail(
              "seed " + seed + " case " + i + ": error outside the section: " + e + " on\n" + text);
        }
      }
    }
    assertFalse("no mutation was refused: the fuzzer tests nothing", refused == 0);
  }

  private static String mutate(String text, Random rnd, int times) {
    StringBuilder b = new StringBuilder(text);
    for (int k = 0; k < times && b.length() > 1; k++) {
      int at = rnd.nextInt(b.length());
      switch (rnd.nextInt(4)) {
        case 0 -> b.deleteCharAt(at);
        case 1 -> b.insert(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        case 2 -> {
          int to = Math.min(b.length(), at + 1 + rnd.nextInt(8));
          b.insert(rnd.nextInt(b.length()), b.substring(at, to));
        }
        default -> {
          if (at + 1 < b.length()) {
            char t = b.charAt(at);
            b.setCharAt(at, b.charAt(at + 1));
            b.setCharAt(at + 1, t);
          }
        }
      }
    }
    return b.toString();
  }

  @Test
  public void theUnmangledTextsAreValid() {
    for (String t : List.of(NATIVE, LUA)) {
      FailoverRules.Compiled c = FailoverRules.mirror().section(t, 100, 7).compile();
      assertTrue(c.errors().toString(), c.ok());
    }
  }
}
