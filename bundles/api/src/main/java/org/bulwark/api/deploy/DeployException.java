package org.bulwark.api.deploy;

/**
 * A refused or failed deployment operation. The message is what the administrator reads: it names
 * the module, the file and what is wrong, and says how to fix it when that is obvious.
 */
public class DeployException extends Exception {
  private static final long serialVersionUID = 1L;

  public DeployException(String message) {
    super(message);
  }

  public DeployException(String message, Throwable cause) {
    super(message, cause);
  }
}
