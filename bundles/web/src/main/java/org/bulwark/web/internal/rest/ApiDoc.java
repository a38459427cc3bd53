package org.bulwark.web.internal.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a resource method does, for the OpenAPI description ({@code GET /openapi.json}) and the API
 * reference generated from it. The paths, parameters, media types, roles ({@link Allow}) and answer
 * shapes come from the method itself; this adds the words.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ApiDoc {
  /** One line: what the call does, and its {@code safekit} verb when it has one. */
  String value();

  /** More when one line is not enough. */
  String description() default "";

  /** A description per parameter, as {@code "name: what it is"}. */
  String[] params() default {};

  /** What the request body is, for a method that reads one. */
  String body() default "";

  /**
   * The problem statuses this call answers besides those of every call: 401 and 403 for a method
   * with a role, 404 for one that names a module.
   */
  int[] errors() default {};

  /** The success status when it is not 200 (204 for a method returning nothing). */
  int status() default 0;

  /** The answer's shape for a method returning a {@code Response}, or {@code Void}. */
  Class<?> returns() default Void.class;
}
