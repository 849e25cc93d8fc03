package dev.anvil.llm.text;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jinjava.javax.el.CompositeELResolver;

/**
 * Renders a conversation with a model's Jinja chat template, the way transformers' {@code apply_chat_template}
 * does: Jinja with {@code trim_blocks} and {@code lstrip_blocks}, no trailing newline kept, the variables
 * {@code messages}, {@code add_generation_prompt}, {@code bos_token}, {@code eos_token} (plus any extra such as
 * {@code tools}), the functions {@code raise_exception} and {@code strftime_now}, Python's string methods and
 * transformers' {@code tojson}.
 *
 * <p>Rendered text already holds the special tokens the template writes (often BOS): encode it with
 * {@code tokenizer.encode(text, false)}.
 */
public final class ChatTemplate {
    /**
     * For models without a chat template (base models such as aidreams260K): plain role-labelled turns,
     * <pre>
     * {bos}{system}\n\nUser: {user}\nAssistant: {assistant}{eos}\nTool: {tool}\nAssistant:
     * </pre>
     * the final {@code "Assistant:"} only with the generation prompt. A base model was never trained on it; it
     * only gives fine-tuning and serving one agreed, readable format.
     */
    public static final String FALLBACK_SOURCE = "{{ bos_token }}"
            + "{% for message in messages %}"
            + "{% if message['role'] == 'system' %}{{ message['content'] + '\\n\\n' }}"
            + "{% elif message['role'] == 'user' %}{{ 'User: ' + message['content'] + '\\n' }}"
            + "{% elif message['role'] == 'assistant' %}{{ 'Assistant: ' + message['content'] + eos_token + '\\n' }}"
            + "{% elif message['role'] == 'tool' %}{{ 'Tool: ' + message['content'] + '\\n' }}"
            + "{% else %}{{ raise_exception('Unknown role: ' + message['role']) }}{% endif %}"
            + "{% endfor %}"
            + "{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}";

    private static final long MAX_OUTPUT_CHARS = 16L << 20;
    /**
     * Jinjava's defaults differ from Jinja2 in ways templates notice: {@code {{-}} would not trim, operator
     * precedence, lists printed as Java lists, {@code for k in dict} over entries. These switches make it Jinja2.
     */
    private static final LegacyOverrides PYTHON_JINJA = LegacyOverrides.newBuilder()
            .withUseTrimmingForNotesAndExpressions(true)
            .withParseWhitespaceControlStrictly(true)
            .withUseNaturalOperatorPrecedence(true)
            .withUsePyishObjectMapper(true)
            .withEvaluateMapKeys(true)
            .withIterateOverMapKeys(true)
            .withKeepNullableLoopValues(true)
            .build();
    private static final Jinjava JINJA = newEngine();

    private final String source;
    private final String bosToken;
    private final String eosToken;
    private final boolean fallback;

    private ChatTemplate(String source, String bosToken, String eosToken, boolean fallback) {
        // Jinja drops one trailing newline of the template source (keep_trailing_newline=False); Jinjava keeps it.
        this.source = source.endsWith("\r\n") ? source.substring(0, source.length() - 2)
                : source.endsWith("\n") ? source.substring(0, source.length() - 1) : source;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        this.fallback = fallback;
    }

    /** A template given as source text; {@code bosToken}/{@code eosToken} may be empty strings. */
    public static ChatTemplate of(String source, String bosToken, String eosToken) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("chat template source must not be blank");
        }
        return new ChatTemplate(source, bosToken, eosToken, false);
    }

    /** The model's own template, or {@link #FALLBACK_SOURCE} when its tokenizer config has none. */
    public static ChatTemplate forTokenizer(Tokenizer tokenizer) {
        TokenizerConfig config = tokenizer.config();
        String bos = config.bosToken().orElse("");
        String eos = config.eosToken().orElse("");
        return config.chatTemplate()
                .map(source -> new ChatTemplate(source, bos, eos, false))
                .orElseGet(() -> new ChatTemplate(FALLBACK_SOURCE, bos, eos, true));
    }

    /** True when the model had no template and {@link #FALLBACK_SOURCE} is used. */
    public boolean isFallback() {
        return fallback;
    }

    public String source() {
        return source;
    }

    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return renderMessages(messages.stream().map(ChatMessage::asTemplateValue).collect(Collectors.toList()),
                addGenerationPrompt, Map.of());
    }

    /**
     * The general form: messages as the dicts templates read (tool calls and names included), and extra variables
     * such as {@code tools} or {@code documents}.
     */
    public String renderMessages(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt,
            Map<String, ?> extraVariables) {
        for (int i = 0; i < messages.size(); i++) {
            if (!(messages.get(i).get("role") instanceof String)) {
                throw new IllegalArgumentException("messages[" + i + "] has no string 'role'");
            }
        }
        Map<String, Object> context = new HashMap<>(extraVariables);
        context.put("messages", messages);
        context.put("add_generation_prompt", addGenerationPrompt);
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        RenderResult result = JINJA.renderForResult(source, context);
        List<TemplateError> fatal = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
                .collect(Collectors.toList());
        if (!fatal.isEmpty()) {
            throw new ChatTemplateException(describe(fatal));
        }
        return result.getOutput();
    }

    /** A template's {@code raise_exception} message is what the caller needs to see, not Jinjava's wrapping. */
    private static String describe(List<TemplateError> errors) {
        return errors.stream().map(e -> {
            Throwable cause = e.getException();
            while (cause != null && !(cause instanceof ChatTemplateException)) {
                cause = cause.getCause();
            }
            return cause != null ? cause.getMessage() : "line " + e.getLineno() + ": " + e.getMessage();
        }).collect(Collectors.joining("; "));
    }

    private static Jinjava newEngine() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withElResolver(resolver)
                .withMaxOutputSize(MAX_OUTPUT_CHARS)
                .withLegacyOverrides(PYTHON_JINJA)
                .build());
        jinjava.getGlobalContext().registerFunction(
                new ELFunctionDefinition("", "raise_exception", TemplateFunctions.class, "raiseException", String.class));
        jinjava.getGlobalContext().registerFunction(
                new ELFunctionDefinition("", "strftime_now", TemplateFunctions.class, "strftimeNow", String.class));
        jinjava.getGlobalContext().registerFilter(new PythonJson());
        return jinjava;
    }
}
