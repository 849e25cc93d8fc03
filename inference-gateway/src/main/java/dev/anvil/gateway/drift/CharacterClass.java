package dev.anvil.gateway.drift;

import java.util.EnumMap;
import java.util.Map;

/**
 * The class of a character (a Unicode code point) for the character-class mix of a prompt: the counts of its code
 * points per class, a categorical distribution compared with {@link JensenShannon}. A prompt in another script moves
 * weight from {@link #LATIN_LETTER} to another letter class; code, tables or numbers move it to {@link #DIGIT} and
 * {@link #OTHER}.
 */
public enum CharacterClass {
    /** A letter of the Latin script, accented ones included. */
    LATIN_LETTER,
    CYRILLIC_LETTER,
    /** A Han ideograph, Hiragana, Katakana or Hangul. */
    CJK_LETTER,
    /** A letter of any other script (Greek, Arabic, Hebrew, Devanagari, ...). */
    OTHER_LETTER,
    /** A decimal digit of any script. */
    DIGIT,
    WHITESPACE,
    /** Punctuation, symbols, emoji, combining marks, controls: everything else. */
    OTHER;

    public static CharacterClass of(int codePoint) {
        if (Character.isLetter(codePoint)) {
            return switch (Character.UnicodeScript.of(codePoint)) {
                case LATIN -> LATIN_LETTER;
                case CYRILLIC -> CYRILLIC_LETTER;
                case HAN, HIRAGANA, KATAKANA, HANGUL -> CJK_LETTER;
                default -> OTHER_LETTER;
            };
        }
        if (Character.isDigit(codePoint)) return DIGIT;
        if (Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)) return WHITESPACE;
        return OTHER;
    }

    /** How many code points of {@code text} fall into each class; every class present, with 0 where none. */
    public static Map<CharacterClass, Long> countsOf(String text) {
        Map<CharacterClass, Long> counts = new EnumMap<>(CharacterClass.class);
        for (CharacterClass c : values()) counts.put(c, 0L);
        text.codePoints().forEach(cp -> counts.merge(of(cp), 1L, Long::sum));
        return counts;
    }
}
