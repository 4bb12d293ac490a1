// Starts Swagger UI on our own OpenAPI document; kept out of the page so the CSP allows it.
const spec = document.currentScript.dataset.spec;
window.SwaggerUIBundle({ url: spec, dom_id: "#swagger-ui", deepLinking: true });
