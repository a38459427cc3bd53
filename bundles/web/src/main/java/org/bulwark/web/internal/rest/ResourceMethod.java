package org.bulwark.web.internal.rest;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;

/**
 * One call of the API as its JAX-RS annotations declare it: a resource class, one of its methods
 * and the HTTP method. What the OpenAPI description says of an operation that is not words ({@link
 * ApiDoc}) is read here: its path, tag, id and media types.
 */
record ResourceMethod(Class<?> resource, Method method, String verb) {
  private static final List<Class<? extends Annotation>> VERBS =
      List.of(GET.class, POST.class, PUT.class, DELETE.class);

  /** The HTTP methods in the order an OpenAPI path item lists them. */
  private static final List<String> ORDER = List.of("get", "post", "put", "delete");

  /** Every call of {@code resources}, by path, then in {@link #ORDER} for one path. */
  static List<ResourceMethod> of(List<Class<?>> resources) {
    List<ResourceMethod> calls = new ArrayList<>();
    for (Class<?> resource : resources) {
      for (Method m : resource.getMethods()) {
        verb(m).ifPresent(v -> calls.add(new ResourceMethod(resource, m, v)));
      }
    }
    calls.sort(
        Comparator.comparing((ResourceMethod c) -> c.path())
            .thenComparing(c -> ORDER.indexOf(c.verb())));
    return calls;
  }

  private static Optional<String> verb(Method m) {
    return VERBS.stream()
        .filter(m::isAnnotationPresent)
        .map(a -> a.getSimpleName().toLowerCase(Locale.ROOT))
        .findFirst();
  }

  String path() {
    return path(resource, method);
  }

  /** The OpenAPI path of a resource method: {@code /modules/{module}/log}. */
  private static String path(Class<?> resource, Method method) {
    StringBuilder path = new StringBuilder();
    for (Path p :
        new Path[] {resource.getAnnotation(Path.class), method.getAnnotation(Path.class)}) {
      if (p != null) {
        path.append('/').append(p.value());
      }
    }
    // a template's regular expression is not part of an OpenAPI path: {path: .+} is {path}
    String clean = path.toString().replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}");
    clean = clean.replaceAll("/+", "/");
    if (clean.length() > 1 && clean.endsWith("/")) {
      clean = clean.substring(0, clean.length() - 1);
    }
    return clean.isEmpty() ? "/" : clean;
  }

  /** The group of the call: its resource class without {@code Resource}. */
  String tag() {
    return resource.getSimpleName().replace("Resource", "");
  }

  /** {@code modulesLog}: the tag, then the method's name. */
  String operationId() {
    String name = method.getName();
    return tag().substring(0, 1).toLowerCase(Locale.ROOT)
        + tag().substring(1)
        + Character.toUpperCase(name.charAt(0))
        + name.substring(1);
  }

  /** The media types of the answer: the method's, else its class's, else any. */
  List<String> produces() {
    Produces p = method.getAnnotation(Produces.class);
    if (p == null) {
      p = resource.getAnnotation(Produces.class);
    }
    return p == null ? List.of("*/*") : List.of(p.value());
  }
}
