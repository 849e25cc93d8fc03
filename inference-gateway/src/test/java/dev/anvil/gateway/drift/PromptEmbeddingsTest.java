package dev.anvil.gateway.drift;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * all-MiniLM-L6-v2 in process: similar prompts lie closer than unrelated ones, and a shifted set of prompts moves
 * the centroid further than an in-distribution one. The model is loaded once for the class. Runs in a surefire
 * execution of its own (see the pom): the model's tokenizer is a JNI library, which binds to one class loader.
 */
class PromptEmbeddingsTest {
    static final PromptEmbeddings EMBEDDINGS = new PromptEmbeddings();

    static final List<String> REFERENCE = List.of(
            "How do I reset my password?",
            "I forgot my password, how can I change it?",
            "Where can I update the password of my account?",
            "My account is locked after too many login attempts, what should I do?",
            "How do I enable two-factor authentication for my login?",
            "Can I recover my account without access to my email?");
    static final List<String> IN_DISTRIBUTION = List.of(
            "What are the rules for a strong password?",
            "How can I log in if I lost my phone with the authenticator app?",
            "I never received the password reset email.",
            "How do I change the email address of my account?");
    static final List<String> SHIFTED = List.of(
            "Какая завтра будет погода в Москве?",
            "Сегодня весь день шёл сильный дождь.",
            "Будет ли снег на выходных?",
            "Летом в городе очень жарко и солнечно.");

    @BeforeAll
    static void load() {
        EMBEDDINGS.embed("warm up");
    }

    @Test
    void anEmbeddingHas384Dimensions() {
        assertEquals(PromptEmbeddings.DIMENSIONS, EMBEDDINGS.embed("How do I reset my password?").length);
    }

    @Test
    void twoQuestionsAboutPasswordsLieCloserThanAQuestionAndASentenceAboutTheWeather() {
        double[] a = asDoubles(EMBEDDINGS.embed("How do I reset my password?"));
        double[] b = asDoubles(EMBEDDINGS.embed("I forgot my password, how can I change it?"));
        double[] weather = asDoubles(EMBEDDINGS.embed("Какая завтра будет погода в Москве?"));
        double similar = CentroidDistance.cosineDistance(a, b);
        double unrelated = CentroidDistance.cosineDistance(a, weather);
        assertTrue(similar < unrelated, similar + " vs " + unrelated);
    }

    @Test
    void aShiftedSetMovesTheCentroidFurtherThanAnInDistributionSet() {
        List<float[]> reference = embedAll(REFERENCE);
        double inDistribution = CentroidDistance.between(reference, embedAll(IN_DISTRIBUTION));
        double shifted = CentroidDistance.between(reference, embedAll(SHIFTED));
        assertTrue(shifted > 2 * inDistribution, shifted + " vs " + inDistribution);
    }

    private static List<float[]> embedAll(List<String> prompts) {
        return prompts.stream().map(EMBEDDINGS::embed).toList();
    }

    private static double[] asDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }
}
