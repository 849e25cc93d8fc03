package dev.anvil.llm.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Published chat templates, copied verbatim from the models' tokenizer_config.json, with the output transformers'
 * apply_chat_template gives, derived by hand from the Jinja semantics (trim_blocks, lstrip_blocks, filters bind
 * tighter than +, one trailing newline of the source dropped).
 */
class ChatTemplateTest {

    /** meta-llama/Llama-2-7b-chat-hf. */
    static final String LLAMA2 = "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";

    /** mistralai/Mistral-7B-Instruct-v0.1. */
    static final String MISTRAL = "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}";

    /** Qwen/Qwen2-7B-Instruct (ChatML). */
    static final String QWEN2 = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /** meta-llama/Meta-Llama-3-8B-Instruct. */
    static final String LLAMA3 = "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    /** HuggingFaceH4/zephyr-7b-beta: one tag per line, so trim_blocks and lstrip_blocks matter. */
    static final String ZEPHYR = "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\n' + message['content'] + eos_token }}\n{% elif message['role'] == 'system' %}\n{{ '<|system|>\n' + message['content'] + eos_token }}\n{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\n'  + message['content'] + eos_token }}\n{% endif %}\n{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}";

    /** Qwen/Qwen2.5-7B-Instruct: tools, tool calls, tool turns, whitespace control. */
    static final String QWEN25 = """
            {%- if tools %}
                {{- '<|im_start|>system\\n' }}
                {%- if messages[0]['role'] == 'system' %}
                    {{- messages[0]['content'] }}
                {%- else %}
                    {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}
                {%- endif %}
                {{- "\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}
                {%- for tool in tools %}
                    {{- "\\n" }}
                    {{- tool | tojson }}
                {%- endfor %}
                {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}
            {%- else %}
                {%- if messages[0]['role'] == 'system' %}
                    {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
                {%- else %}
                    {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}
                {%- endif %}
            {%- endif %}
            {%- for message in messages %}
                {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}
                    {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
                {%- elif message.role == "assistant" %}
                    {{- '<|im_start|>' + message.role }}
                    {%- if message.content %}
                        {{- '\\n' + message.content }}
                    {%- endif %}
                    {%- for tool_call in message.tool_calls %}
                        {%- if tool_call.function is defined %}
                            {%- set tool_call = tool_call.function %}
                        {%- endif %}
                        {{- '\\n<tool_call>\\n{"name": "' }}
                        {{- tool_call.name }}
                        {{- '", "arguments": ' }}
                        {{- tool_call.arguments | tojson }}
                        {{- '}\\n</tool_call>' }}
                    {%- endfor %}
                    {{- '<|im_end|>\\n' }}
                {%- elif message.role == "tool" %}
                    {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") %}
                        {{- '<|im_start|>user' }}
                    {%- endif %}
                    {{- '\\n<tool_response>\\n' }}
                    {{- message.content }}
                    {{- '\\n</tool_response>' }}
                    {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
                        {{- '<|im_end|>\\n' }}
                    {%- endif %}
                {%- endif %}
            {%- endfor %}
            {%- if add_generation_prompt %}
                {{- '<|im_start|>assistant\\n' }}
            {%- endif %}
            """;

    static final List<ChatMessage> ALTERNATING = List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello"),
            ChatMessage.user("Bye"));

    @Test
    void llama2FoldsTheSystemPromptIntoTheFirstTurnAndStripsContent() {
        ChatTemplate template = ChatTemplate.of(LLAMA2, "<s>", "</s>");
        String out = template.render(List.of(ChatMessage.system("You are terse."), ChatMessage.user("Hi there"),
                ChatMessage.assistant("Hello!"), ChatMessage.user("  Bye  ")), true);
        assertEquals("<s>[INST] <<SYS>>\nYou are terse.\n<</SYS>>\n\nHi there [/INST] Hello! </s><s>[INST] Bye [/INST]", out);
    }

    @Test
    void raiseExceptionSurfacesTheTemplatesMessage() {
        ChatTemplate template = ChatTemplate.of(LLAMA2, "<s>", "</s>");
        var e = assertThrows(ChatTemplateException.class,
                () -> template.render(List.of(ChatMessage.user("a"), ChatMessage.user("b")), true));
        assertEquals("Conversation roles must alternate user/assistant/user/assistant/...", e.getMessage());
    }

    @Test
    void mistralInstFormat() {
        ChatTemplate template = ChatTemplate.of(MISTRAL, "<s>", "</s>");
        assertEquals("<s>[INST] Hi [/INST]Hello</s>[INST] Bye [/INST]", template.render(ALTERNATING, true));
        var e = assertThrows(ChatTemplateException.class,
                () -> template.render(List.of(ChatMessage.user("a"), ChatMessage.system("b")), false));
        assertEquals("Only user and assistant roles are supported!", e.getMessage());
    }

    @Test
    void chatMlAddsTheDefaultSystemPromptAndTheGenerationPrompt() {
        ChatTemplate template = ChatTemplate.of(QWEN2, "", "<|im_end|>");
        assertEquals("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>assistant\n", template.render(List.of(ChatMessage.user("Hi")), true));
        assertEquals("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n",
                template.render(List.of(ChatMessage.system("S"), ChatMessage.user("Hi")), false));
    }

    @Test
    void llama3TrimBindsToTheContentOnly() {
        ChatTemplate template = ChatTemplate.of(LLAMA3, "<|begin_of_text|>", "<|eot_id|>");
        String out = template.render(List.of(ChatMessage.system("Be brief."), ChatMessage.user(" Hi \n")), true);
        assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n", out);
    }

    @Test
    void zephyrNeedsTrimBlocksAndLstripBlocks() {
        ChatTemplate template = ChatTemplate.of(ZEPHYR, "<s>", "</s>");
        assertEquals("<|system|>\nS</s>\n<|user|>\nHi</s>\n<|assistant|>\n",
                template.render(List.of(ChatMessage.system("S"), ChatMessage.user("Hi")), true));
        assertEquals("<|user|>\nHi</s>\n", template.render(List.of(ChatMessage.user("Hi")), false));
    }

    @Test
    void qwen25GroupsConsecutiveToolTurns() {
        ChatTemplate template = ChatTemplate.of(QWEN25, "", "<|im_end|>");
        String out = template.render(List.of(ChatMessage.system("You are a bot."), ChatMessage.user("Weather?"),
                ChatMessage.assistant("Checking."), ChatMessage.tool("{\"temp\": 20}"), ChatMessage.tool("sunny"),
                ChatMessage.user("Thanks")), true);
        assertEquals("<|im_start|>system\nYou are a bot.<|im_end|>\n"
                + "<|im_start|>user\nWeather?<|im_end|>\n"
                + "<|im_start|>assistant\nChecking.<|im_end|>\n"
                + "<|im_start|>user\n<tool_response>\n{\"temp\": 20}\n</tool_response>\n<tool_response>\nsunny\n</tool_response><|im_end|>\n"
                + "<|im_start|>user\nThanks<|im_end|>\n"
                + "<|im_start|>assistant\n", out);
    }

    @Test
    void qwen25WritesToolsAndToolCallsAsPythonJson() {
        Map<String, Object> city = new LinkedHashMap<>();
        city.put("type", "string");
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("type", "object");
        parameters.put("properties", Map.of("city", city));
        parameters.put("required", List.of("city"));
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", "get_weather");
        function.put("description", "Get weather");
        function.put("parameters", parameters);
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("type", "function");
        tool.put("function", function);

        Map<String, Object> call = new LinkedHashMap<>();
        call.put("type", "function");
        call.put("function", Map.of("name", "get_weather", "arguments", Map.of("city", "Paris")));
        Map<String, Object> assistant = new LinkedHashMap<>();
        assistant.put("role", "assistant");
        assistant.put("content", "");
        assistant.put("tool_calls", List.of(call));

        String out = ChatTemplate.of(QWEN25, "", "<|im_end|>").renderMessages(List.of(
                Map.of("role", "system", "content", "You are a bot."),
                Map.of("role", "user", "content", "Weather in Paris?"),
                assistant), false, Map.of("tools", List.of(tool)));
        assertEquals("<|im_start|>system\nYou are a bot.\n\n# Tools\n\nYou may call one or more functions to assist "
                + "with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n"
                + "<tools>\n{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"description\": "
                + "\"Get weather\", \"parameters\": {\"type\": \"object\", \"properties\": {\"city\": {\"type\": "
                + "\"string\"}}, \"required\": [\"city\"]}}}\n</tools>\n\nFor each function call, return a json object "
                + "with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n"
                + "{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n"
                + "<|im_start|>user\nWeather in Paris?<|im_end|>\n"
                + "<|im_start|>assistant\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n"
                + "</tool_call><|im_end|>\n", out);
    }

    @Test
    void pythonStringMethodsBehaveAsInPython() {
        ChatTemplate template = ChatTemplate.of("{% set c = messages[0].content %}"
                + "{{ 'y' if c.startswith('Hello') else 'n' }}|{{ 'y' if c.endswith(('x', 'd!')) else 'n' }}|"
                + "{{ 'y' if c.startswith('ello') else 'n' }}|{{ c.upper() }}|{{ c.lower() }}|"
                + "{{ c.split() }}|{{ c.split('l') | length }}|{{ c.replace('l', 'L', 2) }}|{{ c.title() }}|"
                + "{{ '-'.join(c.split()) }}|{{ c.strip('H!') }}|{{ c.lstrip('eH') }}|{{ c.rstrip('!') }}|"
                + "{{ messages[0].get('name', 'anon') }}", "", "");
        assertEquals("y|y|n|HELLO WORLD!|hello world!|['Hello', 'world!']|4|HeLLo world!|Hello World!|"
                + "Hello-world!|ello world|llo world!|Hello world|anon",
                template.render(List.of(ChatMessage.user("Hello world!")), false));
    }

    @Test
    void unknownFunctionsAreErrorsNotSilence() {
        var e = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.of("{{ no_such_function() }}", "", "").render(List.of(), false));
        assertTrue(e.getMessage().contains("no_such_function"), e.getMessage());
    }

    @Test
    void strftimeNowFormatsTheCurrentDate() {
        String out = ChatTemplate.of("{{ strftime_now('%d %b %Y') }}", "", "").render(List.of(), false);
        assertTrue(out.matches("\\d{2} [A-Z][a-z]{2} \\d{4}"), out);
    }

    @Test
    void aidreamsHasNoTemplateAndGetsTheDocumentedFallback() {
        try (Tokenizer tokenizer = Tokenizer.load(SharedFixtures.aidreams())) {
            ChatTemplate template = ChatTemplate.forTokenizer(tokenizer);
            assertTrue(template.isFallback());
            String out = template.render(List.of(ChatMessage.system("Dream."), ChatMessage.user("Hi"),
                    ChatMessage.assistant("Echoes."), ChatMessage.tool("42"), ChatMessage.user("More")), true);
            assertEquals("<s>Dream.\n\nUser: Hi\nAssistant: Echoes.</s>\nTool: 42\nUser: More\nAssistant:", out);
            // The rendered BOS is the real BOS token once encoded without adding special tokens again.
            int[] ids = tokenizer.encode(out, false);
            assertEquals(1, ids[0]);
            assertArrayEquals(tokenizer.encode("Dream.\n\nUser: Hi\nAssistant: Echoes."),
                    java.util.Arrays.copyOf(ids, tokenizer.encode("Dream.\n\nUser: Hi\nAssistant: Echoes.").length));
            assertThrows(ChatTemplateException.class,
                    () -> template.render(List.of(new ChatMessage("narrator", "x")), false));
        }
    }
}
