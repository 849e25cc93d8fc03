package dev.anvil.dataset.api;

import dev.anvil.service.http.ProblemDetail;
import dev.anvil.events.testing.InProcessKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static dev.anvil.dataset.api.Uploads.freshName;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

/** Templates become a version through the same cleaning and versioning as an upload. */
@QuarkusTest
@QuarkusTestResource(InProcessKafka.class)
class SyntheticApiTest {

    private static final String CAPITALS = """
            {"templates": [
               {"prompt": "What is the capital of {{place.country}}?",
                "completion": "The capital of {{place.country}} is {{place.capital}}."},
               {"messages": [{"role": "user", "content": "Which currency does {{place.country}} use?"},
                             {"role": "assistant", "content": "{{place.country}} pays in {{place.currency}}."}]}],
             "slots": {"place": [
               {"country": "France", "capital": "Paris", "currency": "the euro"},
               {"country": "Japan", "capital": "Tokyo", "currency": "the yen"},
               {"country": "Peru", "capital": "Lima", "currency": "the sol"},
               {"country": "Kenya", "capital": "Nairobi", "currency": "the Kenyan shilling"}]}}
            """;

    @Test
    void templatesExpandIntoAVersion() {
        String dataset = freshName("synthetic");
        String version = given().contentType("application/json").body(CAPITALS)
                .queryParam("validationFraction", "0")
                .post("/datasets/{n}/versions/synthetic", dataset)
                .then().statusCode(201)
                .body("version", matchesPattern(Uploads.VERSION_ID))
                .body("records.input", equalTo(8))
                .body("records.accepted", equalTo(8))
                .body("records.train", equalTo(8))
                .extract().path("version");
        String train = given().get("/datasets/{n}/versions/{v}/files/train.jsonl", dataset, version)
                .then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(train.contains("The capital of Kenya is Nairobi."), train);

        // Same templates, same records: the same version.
        given().contentType("application/json").body(CAPITALS).queryParam("validationFraction", "0")
                .post("/datasets/{n}/versions/synthetic", dataset)
                .then().statusCode(200).body("version", equalTo(version));
    }

    @Test
    void anExpansionOverTheLimitIs400NamingTheLimit() {
        String body = """
                {"templates": [{"prompt": "{{a}} and {{b}}", "completion": "{{c}}"}],
                 "slots": {"a": ["1","2","3","4","5","6","7","8","9","10","11"],
                           "b": ["1","2","3","4","5","6","7","8","9","10","11"],
                           "c": ["1","2","3","4","5","6","7","8","9","10","11"]}}
                """;
        given().contentType("application/json").body(body)
                .post("/datasets/{n}/versions/synthetic", freshName("too-many"))
                .then().statusCode(400).contentType(ProblemDetail.MEDIA_TYPE)
                .body("detail", containsString("1331 records"))
                .body("detail", containsString("anvil.dataset.synthetic.max-records=1000"));
    }

    @Test
    void aBadTemplateIs400NamingIt() {
        given().contentType("application/json")
                .body("{\"templates\":[{\"prompt\":\"{{x}}\",\"completion\":\"y\"}],\"slots\":{}}")
                .post("/datasets/{n}/versions/synthetic", freshName("bad-template"))
                .then().statusCode(400).contentType(ProblemDetail.MEDIA_TYPE)
                .body("detail", containsString("templates[0].prompt: unknown slot 'x'"));
        given().contentType("application/json").body("{\"templates\": [")
                .post("/datasets/{n}/versions/synthetic", freshName("bad-json"))
                .then().statusCode(400).contentType(ProblemDetail.MEDIA_TYPE)
                .body("detail", containsString("request body"));
    }
}
