package org.bulwark.web.internal.auth;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** Who a relayed request acts as: the table of {@link Delegation}. */
public class DelegationTest {
  private static final Caller RELAY = new Caller("rcmdadmin", Role.ADMIN, "127.0.0.2");

  private static String outcome(Caller relay, String user, String role, String address) {
    Authenticator.Outcome o = Delegation.apply(relay, "rcmdadmin", user, role, address);
    if (o instanceof Authenticator.Allowed a) {
      return a.caller().origin() + " " + a.caller().role();
    }
    Authenticator.Refused r = (Authenticator.Refused) o;
    return r.status() + " " + r.detail();
  }

  @Test
  public void theRelayedUserGetsTheNamedRoleNeverMore() {
    String[][] table = {
      // relay, relay's role, user, role, address -> outcome (prefix)
      {"rcmdadmin", "Admin", null, null, null, "rcmdadmin@127.0.0.2 Admin"},
      {"rcmdadmin", "Admin", "admin", "Admin", "10.0.0.5", "admin@10.0.0.5 Admin"},
      {"rcmdadmin", "Admin", "ctl", "control", "10.0.0.5", "ctl@10.0.0.5 Control"},
      {"rcmdadmin", "Admin", "mon", "Monitor", "::1", "mon@::1 Monitor"},
      {"rcmdadmin", "Admin", "apikey:deploy", "Control", "local", "apikey:deploy@local Control"},
      // a relay user demoted on this node grants no more than its own role
      {"rcmdadmin", "Monitor", "admin", "Admin", "10.0.0.5", "admin@10.0.0.5 Monitor"},
      // anybody else naming a user is refused, whatever their role
      {"admin", "Admin", "mon", "Monitor", "10.0.0.5", "403 admin may not act on behalf"},
      {"mon", "Monitor", "admin", "Admin", "10.0.0.5", "403 mon may not act on behalf"},
      {"admin", "Admin", null, "Admin", null, "403 admin may not act on behalf"},
      // bad headers
      {"rcmdadmin", "Admin", "admin", null, "10.0.0.5", "400 a relayed request needs"},
      {"rcmdadmin", "Admin", "admin", "Root", "10.0.0.5", "400 X-Bulwark-Role 'Root' is not"},
      {"rcmdadmin", "Admin", "ad min", "Admin", "10.0.0.5", "400 X-Bulwark-User 'ad min' is not"},
      {"rcmdadmin", "Admin", "admin", "Admin", "1.2.3.4 -u x", "400 X-Bulwark-Address"},
    };
    for (String[] row : table) {
      Caller relay = new Caller(row[0], Role.parse(row[1]).orElseThrow(), "127.0.0.2");
      String got = outcome(relay, row[2], row[3], row[4]);
      assertEquals(String.join(" | ", java.util.Arrays.asList(row)), true, got.startsWith(row[5]));
    }
  }

  @Test
  public void theUserOfTheDistributedCommandsIsNotBuiltIn() {
    // a node whose relay user is another name does not honour rcmdadmin
    Authenticator.Outcome o = Delegation.apply(RELAY, "noderelay", "admin", "Admin", "10.0.0.5");
    assertEquals(403, ((Authenticator.Refused) o).status());
  }
}
