package org.bulwark.store.internal;

import java.util.List;

/**
 * The schema of the node's journal, as ordered steps (spec G.6 event log, G.7 commands log, B.20
 * resources). Times are microseconds since the epoch (UTC), the precision of the spec's log rows.
 */
final class Migrations {

  /** Every step, in version order; the last one is the version this code writes. */
  static final List<Migration> ALL =
      List.of(
          new Migration(
              1,
              "journal tables",
              List.of(
                  // spec G.7: time, action type, module, command id, START/END/I, text.
                  """
                  CREATE TABLE COMMAND_LOG (
                    SEQ BIGINT GENERATED ALWAYS AS IDENTITY
                      CONSTRAINT COMMAND_LOG_PK PRIMARY KEY,
                    TIME_US BIGINT NOT NULL,
                    ACTION_TYPE VARCHAR(64) NOT NULL,
                    MODULE VARCHAR(128) NOT NULL,
                    CMD_ID BIGINT NOT NULL,
                    KIND VARCHAR(5) NOT NULL,
                    TEXT VARCHAR(8000) NOT NULL)""",
                  // Command ids shared by a START row and its END row.
                  "CREATE SEQUENCE COMMAND_ID AS BIGINT START WITH 1",
                  // spec G.6: time, module, component, level, message; MAIN marks main-log levels.
                  """
                  CREATE TABLE EVENT_LOG (
                    SEQ BIGINT GENERATED ALWAYS AS IDENTITY
                      CONSTRAINT EVENT_LOG_PK PRIMARY KEY,
                    TIME_US BIGINT NOT NULL,
                    MODULE VARCHAR(128) NOT NULL,
                    COMPONENT VARCHAR(128) NOT NULL,
                    LEVEL_CODE CHAR(1) NOT NULL,
                    MAIN SMALLINT NOT NULL,
                    MESSAGE VARCHAR(8000) NOT NULL)""",
                  // spec B.20: the resource table of each module ...
                  """
                  CREATE TABLE RESOURCE_CURRENT (
                    MODULE VARCHAR(128) NOT NULL,
                    NAME VARCHAR(256) NOT NULL,
                    RES_VALUE VARCHAR(1024) NOT NULL,
                    SETTER VARCHAR(128) NOT NULL,
                    TIME_US BIGINT NOT NULL,
                    PRIMARY KEY (MODULE, NAME))""",
                  // ... and the history of the values taken.
                  """
                  CREATE TABLE RESOURCE_HISTORY (
                    SEQ BIGINT GENERATED ALWAYS AS IDENTITY
                      CONSTRAINT RESOURCE_HISTORY_PK PRIMARY KEY,
                    TIME_US BIGINT NOT NULL,
                    MODULE VARCHAR(128) NOT NULL,
                    NAME VARCHAR(256) NOT NULL,
                    RES_VALUE VARCHAR(1024) NOT NULL,
                    SETTER VARCHAR(128) NOT NULL)""")),
          new Migration(
              2,
              "indexes for log reads, tails and purges",
              List.of(
                  // Ascending and descending twins: see Hint.
                  "CREATE INDEX COMMAND_LOG_DESC ON COMMAND_LOG (SEQ DESC)",
                  "CREATE INDEX EVENT_LOG_ALL ON EVENT_LOG (MODULE, SEQ)",
                  "CREATE INDEX EVENT_LOG_ALL_DESC ON EVENT_LOG (MODULE, SEQ DESC)",
                  "CREATE INDEX EVENT_LOG_MAIN ON EVENT_LOG (MODULE, MAIN, SEQ)",
                  "CREATE INDEX EVENT_LOG_MAIN_DESC ON EVENT_LOG (MODULE, MAIN, SEQ DESC)",
                  "CREATE INDEX RESOURCE_HISTORY_ASC ON RESOURCE_HISTORY (MODULE, NAME, SEQ)",
                  "CREATE INDEX RESOURCE_HISTORY_DESC ON RESOURCE_HISTORY (MODULE, NAME, SEQ DESC)")));

  private Migrations() {}
}
