package org.bulwark.web.internal;

import static org.junit.Assert.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.Test;

public class JsonTest {
  @Test
  public void escapesQuotesControlCharactersAndBackslashes() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("host", "a\"b\\c\n\u0001");
    m.put("v", "1");
    assertEquals("{\"host\":\"a\\\"b\\\\c\\n\\u0001\",\"v\":\"1\"}", Json.object(m));
  }
}
