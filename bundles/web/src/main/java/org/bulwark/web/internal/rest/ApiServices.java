package org.bulwark.web.internal.rest;

import org.bulwark.api.cli.CliService;
import org.bulwark.api.config.ConfigService;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.runtime.ModuleRegistry;
import org.bulwark.api.store.CommandLog;
import org.bulwark.api.store.EventLog;
import org.bulwark.api.store.ResourceHistory;
import org.bulwark.web.internal.auth.ApiKeys;
import org.bulwark.web.internal.auth.Authenticator;

/**
 * The node services the REST resources face: the same ones the {@code safekit} verbs use, so that
 * no resource holds logic of its own (one service API, thin faces).
 */
public record ApiServices(
    NodeEnvironment env,
    CliService cli,
    ModuleRegistry modules,
    EventLog events,
    ResourceHistory resources,
    CommandLog commands,
    ConfigService config,
    Authenticator authenticator,
    ApiKeys apiKeys,
    NodeForwarder forwarder) {}
