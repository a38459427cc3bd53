// Swagger UI on this node's own description; "Try it out" calls this node with the credentials
// given under "Authorize" (Basic or an API key) or the console's session cookie.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v1.0/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    withCredentials: true,
    presets: [SwaggerUIBundle.presets.apis],
  });
};
