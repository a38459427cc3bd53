package org.bulwark.api.store;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The resource table of each module with the history of its values (spec B.20). */
@ProviderType
public interface ResourceHistory {

  /**
   * Records a value; the resource's current value becomes {@code entry.value()}. Only a change is
   * journaled: setting the value a resource already has writes nothing, so that checkers may set
   * their resources on every check, and the current row keeps the time of the last change.
   */
  void record(ResourceEntry entry) throws StoreException;

  /** The current value of every resource of {@code module}, by name. */
  List<ResourceEntry> current(String module) throws StoreException;

  /** The values taken by one resource, oldest first, at most the newest {@code limit}. */
  List<ResourceEntry> history(String module, String name, int limit) throws StoreException;
}
