package org.bulwark.net.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bulwark.api.net.BucketSet;

/**
 * Reads the buckets back from {@code nft list table}: what the kernel really holds, for {@code
 * vip_if_ctrl -l}. Each rule that {@link NftScript} wrote ends with {@code drop comment "group G"};
 * its set of accepted buckets follows {@code !=}, or is empty when the rule drops all.
 */
final class NftListing {
  private static final Pattern RULE =
      Pattern.compile(
          "(?:jhash .*? seed 0x[0-9a-f]+ != (\\{[^}]*\\}|[0-9-]+) )?drop comment \""
              + NftScript.GROUP_COMMENT
              + "([^\"]+)\"");

  private NftListing() {}

  /** Per group, in order of appearance, the buckets of its first rule. */
  static Map<String, BucketSet> groups(String listing) {
    Map<String, BucketSet> out = new LinkedHashMap<>();
    // a set that nft wraps over several lines is still one match: [^}] crosses line ends
    Matcher m = RULE.matcher(listing);
    while (m.find()) {
      out.putIfAbsent(m.group(2), m.group(1) == null ? BucketSet.none() : parse(m.group(1)));
    }
    return out;
  }

  /** {@code { 0-63, 128, 130-131 }} or {@code 0-255}. */
  static BucketSet parse(String set) {
    List<Integer> buckets = new ArrayList<>();
    for (String part : set.replace("{", "").replace("}", "").split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      int dash = p.indexOf('-');
      int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
      int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
      for (int b = from; b <= to; b++) {
        buckets.add(b);
      }
    }
    return BucketSet.of(buckets.stream().mapToInt(Integer::intValue).toArray());
  }
}
