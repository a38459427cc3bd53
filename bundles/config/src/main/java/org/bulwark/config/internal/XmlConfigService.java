package org.bulwark.config.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.bulwark.api.config.ClusterConfig;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ConfigService;
import org.bulwark.api.config.ConfigurationError;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.ModuleContext;
import org.bulwark.api.config.ServiceConfig;
import org.bulwark.config.internal.schema.ElementType;
import org.bulwark.config.internal.schema.Schema;
import org.bulwark.config.internal.xml.SecureXmlReader;
import org.bulwark.config.internal.xml.SourceText;
import org.bulwark.config.internal.xml.XmlElement;
import org.bulwark.failover.FailoverRules;
import org.osgi.service.component.annotations.Component;

/**
 * The configuration parser: decode strictly, read with the secure StAX reader, expand macros, check
 * the structure against the shipped XSD, build the typed model while checking the spec's rules. Any
 * error anywhere means no model (issue 3: nothing is applied when anything is wrong).
 */
@Component(service = ConfigService.class)
public final class XmlConfigService implements ConfigService {

  /** Files larger than this are refused before parsing: no configuration is that big. */
  static final int MAX_BYTES = 4 * 1024 * 1024;

  private final Schema clusterSchema = Schema.load("xsd/cluster.xsd");
  private final Schema moduleSchema = Schema.load("xsd/userconfig.xsd");
  private final SecureXmlReader reader = new SecureXmlReader();

  @Override
  public ConfigResult<ClusterConfig> parseCluster(String fileName, byte[] content) {
    Problems problems = new Problems(fileName);
    ClusterConfig config = null;
    try {
      XmlElement root = read(content, "cluster", problems);
      if (root != null) {
        Map<XmlElement, ElementType> types =
            new StructureValidator(clusterSchema, problems).validate(root);
        if (types.containsKey(root)) {
          config = new ClusterBuilder(types, problems).build(root);
        }
      }
    } catch (RuntimeException e) {
      internal(problems, e);
    }
    return result(config, problems);
  }

  @Override
  public ConfigResult<ModuleConfig> parseModule(
      String fileName, byte[] content, ModuleContext context) {
    Problems problems = new Problems(fileName);
    ModuleConfig config = null;
    try {
      XmlElement root = read(content, "safe", problems);
      if (root != null) {
        Macros macros = Macros.expand(root, context.environment(), problems);
        Map<XmlElement, ElementType> types =
            new StructureValidator(moduleSchema, problems).validate(root);
        XmlElement service = root.child("service");
        if (service != null && types.containsKey(service)) {
          Fields fields = new Fields(service, types.get(service), problems);
          ServiceConfig.Mode mode =
              fields.has("mode")
                  ? ServiceConfig.Mode.valueOf(fields.text("mode").toUpperCase(Locale.ROOT))
                  : ServiceConfig.Mode.MIRROR;
          BuildContext ctx = new BuildContext(types, problems, mode, context.cluster(), macros);
          config = new ModuleBuilder(ctx).build(root, context);
        }
        if (config != null && problems.isEmpty()) {
          failoverRules(config, problems);
        }
      }
    } catch (RuntimeException e) {
      internal(problems, e);
    }
    return result(config, problems);
  }

  /**
   * The failover rules compiled as the module runtime will compile them (spec B.19): a rule that
   * does not compile is refused here, with its line and column, before anything is applied.
   */
  private static void failoverRules(ModuleConfig config, Problems problems) {
    FailoverRules.Compiled compiled = FailoverRules.forModule(config, problems.file()).compile();
    for (ConfigurationError e : compiled.errors()) {
      problems.at(e.line(), e.column(), e.path(), e.message(), e.suggestion());
    }
  }

  @Override
  public ConfigResult<ClusterConfig> loadCluster(Path file) {
    byte[] content = readFile(file);
    return content == null ? unreadable(file) : parseCluster(file.toString(), content);
  }

  @Override
  public ConfigResult<ModuleConfig> loadModule(Path file, ModuleContext context) {
    byte[] content = readFile(file);
    return content == null ? unreadable(file) : parseModule(file.toString(), content, context);
  }

  private XmlElement read(byte[] content, String doctype, Problems problems) {
    if (content.length > MAX_BYTES) {
      problems.at(
          1,
          1,
          "/",
          "file too large (" + content.length + " bytes; at most " + MAX_BYTES + ")",
          null);
      return null;
    }
    SourceText text =
        SourceText.decode(
            content,
            (line, column, message, suggestion) ->
                problems.at(line, column, "/", message, suggestion));
    return text == null ? null : reader.read(text, doctype, problems);
  }

  private static void internal(Problems problems, RuntimeException e) {
    problems.at(1, 1, "/", "internal error while checking the file: " + e, null);
  }

  private static <T> ConfigResult<T> result(T model, Problems problems) {
    if (!problems.isEmpty()) {
      return new ConfigResult.Invalid<>(problems.sorted());
    }
    if (model == null) {
      problems.at(1, 1, "/", "the file has no content to configure", null);
      return new ConfigResult.Invalid<>(problems.sorted());
    }
    return new ConfigResult.Valid<>(model);
  }

  private static byte[] readFile(Path file) {
    try {
      if (Files.size(file) > MAX_BYTES) {
        return new byte[MAX_BYTES + 1];
      }
      return Files.readAllBytes(file);
    } catch (IOException | SecurityException e) {
      return null;
    }
  }

  private static <T> ConfigResult<T> unreadable(Path file) {
    String reason = Files.exists(file) ? "cannot read the file" : "no such file";
    Problems problems = new Problems(file.toString());
    problems.at(1, 1, "/", reason, null);
    return new ConfigResult.Invalid<>(problems.sorted());
  }
}
