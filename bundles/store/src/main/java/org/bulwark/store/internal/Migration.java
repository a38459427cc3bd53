package org.bulwark.store.internal;

import java.util.List;
import java.util.Objects;

/**
 * One step of the schema: the statements that take the database from {@code version - 1} to {@code
 * version}. Steps are never edited once released; a change of schema is a new step.
 *
 * @param version the schema version this step produces, from 1
 * @param description what the step does, recorded in SCHEMA_VERSION
 * @param statements the DDL/DML statements, run in order in one transaction
 */
record Migration(int version, String description, List<String> statements) {

  Migration {
    if (version < 1) {
      throw new IllegalArgumentException("migration version must be >= 1, got " + version);
    }
    Objects.requireNonNull(description, "description");
    statements = List.copyOf(statements);
  }
}
