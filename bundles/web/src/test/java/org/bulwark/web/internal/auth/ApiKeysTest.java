package org.bulwark.web.internal.auth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ApiKeysTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void aKeyIsCheckedListedAndDeletedAndOnlyItsHashIsKept() throws Exception {
    Path dir = tmp.getRoot().toPath();
    ApiKeys keys = new ApiKeys(dir);
    ApiKeys.NewKey tool = keys.create("tool", Role.CONTROL);
    ApiKeys.NewKey reader = keys.create("reader", Role.MONITOR);
    assertTrue(tool.token(), tool.token().startsWith("bwk_"));
    assertFalse(Files.readString(dir.resolve("apikeys.conf")).contains(tool.token()));
    assertEquals(Optional.of(new ApiKeys.ApiKey("tool", Role.CONTROL)), keys.check(tool.token()));
    assertEquals(
        Optional.of(new ApiKeys.ApiKey("reader", Role.MONITOR)), keys.check(reader.token()));
    assertEquals(Optional.empty(), keys.check(tool.token() + "x"));
    assertEquals(Optional.empty(), keys.check("not-a-token"));
    assertEquals(
        List.of(
            new ApiKeys.ApiKey("tool", Role.CONTROL), new ApiKeys.ApiKey("reader", Role.MONITOR)),
        keys.list());
    // a key created again under its name replaces the old one
    ApiKeys.NewKey again = keys.create("tool", Role.ADMIN);
    assertEquals(Optional.empty(), keys.check(tool.token()));
    assertEquals(Optional.of(new ApiKeys.ApiKey("tool", Role.ADMIN)), keys.check(again.token()));
    assertTrue(keys.delete("tool"));
    assertFalse(keys.delete("tool"));
    assertEquals(Optional.empty(), keys.check(again.token()));
  }

  @Test
  public void badNamesAndBrokenFilesAreReported() throws Exception {
    Path dir = tmp.getRoot().toPath();
    ApiKeys keys = new ApiKeys(dir);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> keys.create("a b", Role.ADMIN));
    assertTrue(e.getMessage(), e.getMessage().contains("'a b' is not valid"));
    assertFalse(Files.exists(dir.resolve("apikeys.conf")));
    Files.writeString(dir.resolve("apikeys.conf"), "tool:Root:00\n");
    java.io.IOException io = assertThrows(java.io.IOException.class, keys::list);
    assertTrue(
        io.getMessage(),
        io.getMessage().endsWith("apikeys.conf:1: expected name:Admin|Control|Monitor:sha256"));
  }
}
