package org.bulwark.web.internal.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.bulwark.web.internal.auth.Role;

/**
 * The least role a resource method needs (spec G.2). Every method carries this or {@link
 * Anonymous}; one with neither is refused to everybody.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Allow {
  Role value();
}
