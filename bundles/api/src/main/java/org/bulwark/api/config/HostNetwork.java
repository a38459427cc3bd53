package org.bulwark.api.config;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * This node's network as {@code safekit config} checks a module's {@code <vip>} (spec B.6) and its
 * {@code <intf>} checkers (spec B.14) against it: the interfaces named must exist here, and a
 * virtual address must not be in use here by anything but the module itself. Answers are messages
 * for the administrator, reported by the parser at the attribute concerned; an implementation never
 * throws.
 */
@ProviderType
public interface HostNetwork {

  /**
   * Why {@code interface@name} cannot be used on this node (no such interface), empty when it can.
   */
  Optional<String> interfaceProblem(String name);

  /**
   * Why {@code address} cannot be a virtual address of {@code module} on this node, empty when it
   * can: it is held by an interface here and not by this module, or it does not resolve, or (with
   * no {@code device} named) no interface of this node is on its network.
   *
   * @param device the {@code interface@name} given, empty for autodetection
   */
  Optional<String> addressProblem(String module, String address, Optional<String> device);

  /**
   * Why {@code address} cannot be the {@code local_addr} of an {@code <intf>} checker on this node
   * (spec B.14), empty when it can: no interface here holds it, or it does not resolve.
   */
  default Optional<String> localAddressProblem(String address) {
    return Optional.empty();
  }
}
