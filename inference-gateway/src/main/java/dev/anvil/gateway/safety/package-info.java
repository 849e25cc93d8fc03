/**
 * Output safety (docs/gateway-api.md, "Redaction and content filters"): answers have personal data and blocked terms
 * or patterns masked, whole or streamed ({@link dev.anvil.gateway.safety.StreamRedactor} holds back a small window so
 * that a term split across deltas is still caught); prompt and response filters refuse instead of masking. What the
 * rules are comes from {@code anvil.gateway.safety.*} ({@link dev.anvil.gateway.safety.SafetyRules}); the serving
 * path asks {@link dev.anvil.gateway.safety.PromptScreen} and {@link dev.anvil.gateway.safety.ResponseScreen}.
 */
package dev.anvil.gateway.safety;
