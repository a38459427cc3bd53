package org.bulwark.web.internal.support;

import org.bulwark.api.cli.CliOutput;
import org.bulwark.api.cli.CliRequest;
import org.bulwark.api.cli.CliVerb;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code safekit dump -m AM} (spec F.6): a dump in {@code SAFEVAR/snapshot/modules/AM}. */
@Component(service = CliVerb.class)
public final class DumpVerb implements CliVerb {
  private final SupportServices services;

  @Activate
  public DumpVerb(@Reference SupportServices services) {
    this.services = services;
  }

  @Override
  public String name() {
    return "dump";
  }

  @Override
  public String summary() {
    return "write a dump of a module's logs, resources and commands log";
  }

  @Override
  public String usage() {
    return "Usage: safekit dump -m AM\n"
        + "  Writes SAFEVAR/snapshot/modules/AM/dump_YYYY_MM_DD_hh_mm_ss; the last 3 are kept.";
  }

  @Override
  public int run(CliRequest request, CliOutput out) throws Exception {
    return SupportVerbs.dump(services, request, out);
  }
}
