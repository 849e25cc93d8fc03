package dev.anvil.service.pii;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PiiAnonymizerTest {
    private final PiiAnonymizer anonymizer = new PiiAnonymizer();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Mail jane.doe+news@example.co.uk today|Mail [EMAIL] today",
            "Call +44 20 7946 0958 now|Call [PHONE] now",
            "Call +1 (555) 123-4567.|Call [PHONE].",
            "US office: (555) 123-4567|US office: [PHONE]",
            "US office: 555-123-4567|US office: [PHONE]",
            "Berlin: 030 1234567|Berlin: [PHONE]",
            "Paris: 06 12 34 56 78|Paris: [PHONE]",
            "Card 4111 1111 1111 1111 on file|Card [CREDIT_CARD] on file",
            "Card 4111-1111-1111-1111|Card [CREDIT_CARD]",
            "Card 378282246310005|Card [CREDIT_CARD]",
            "IBAN DE89 3704 0044 0532 0130 00 please|IBAN [IBAN] please",
            "IBAN GB82WEST12345698765432|IBAN [IBAN]",
            "Host 192.168.1.20 is down|Host [IP_ADDRESS] is down",
            "Host 2001:db8::8a2e:370:7334 is up|Host [IP_ADDRESS] is up",
            "Loopback ::1 and fe80::1%eth0.|Loopback [IP_ADDRESS] and [IP_ADDRESS].",
            "Mapped ::ffff:192.0.2.1 here|Mapped [IP_ADDRESS] here",
    })
    void replacesEachKind(String text, String expected) {
        assertEquals(expected, anonymizer.anonymize(text).text());
        assertEquals(expected.split("\\[").length - 1, anonymizer.anonymize(text).redactions());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Card 4111 1111 1111 1112 fails Luhn",
            "IBAN DE89 3704 0044 0532 0130 03 fails mod 97",
            "Released on 2024-01-15 as version 1.2.3.4.5",
            "Version 10.0.19045 and build 1.2.3",
            "Meeting on 01/02/2024 at 12:30:45",
            "The number 1234567890 is plain",
            "Order 12345678 shipped",
            "std::vector and a::b are code",
            "Ratio 3:4:5 and time 10:30",
            "Price 1,234,567.89 dollars",
            "Not an address 999.1.1.1",
            "user at example dot com",
    })
    void leavesLookAlikesAlone(String text) {
        assertEquals(text, anonymizer.anonymize(text).text());
    }

    @Test
    void overlappingKindsAreReplacedOnce() {
        PiiAnonymizer.Result result = anonymizer.anonymize("Reach 4111111111111111 or bob@10.0.0.1.example.com");
        assertEquals("Reach [CREDIT_CARD] or [EMAIL]", result.text());
        assertEquals(2, result.redactions());
    }

    @Test
    void fromAnOffsetTheTextBeforeIsOnlyContext() {
        String text = "Write to jane@example.com now";
        assertEquals(List.of(new PiiSpan(9, 25, PiiType.EMAIL)), anonymizer.find(text, 9));
        assertEquals(List.of(), anonymizer.find(text, 10), "inside the address: the j before it is seen, no match");
        assertEquals(List.of(), anonymizer.find(text, 26), "after it");
    }

    @Test
    void onlyTheChosenKindsAreReplaced() {
        PiiAnonymizer phonesOnly = new PiiAnonymizer(EnumSet.of(PiiType.PHONE));
        assertEquals("Mail jane@example.com or call [PHONE]",
                phonesOnly.anonymize("Mail jane@example.com or call +44 20 7946 0958").text());
        assertEquals(PiiType.PHONE, phonesOnly.find("call 555-123-4567").get(0).type());
    }
}
