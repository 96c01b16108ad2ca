package dev.execlog.server.paths;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one-pass test that lets stored-form paths skip normalization, character class by character class. */
class PlainRelativeTest {

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(delimiter = '|', value = {
      "data/out.csv|true",
      "a|true",
      "a/b/c.d/e..f/.hidden/..x|true",
      "données/été.csv|true",
      "a b/c|true",
      "/abs/path|false",
      "~/home|false",
      "dir/|false",
      "a//b|false",
      "./a|false",
      "a/./b|false",
      "a/..|false",
      "../a|false",
      "a/.|false",
      "..|false",
      "a\\b|false",
      "c:/x|false",
      "a%2e|false",
  })
  void isPlainRelative_classifiesEachCharacterAndSegment(String path, boolean plain) {
    assertEquals(plain, PathPolicy.isPlainRelative(path));
  }

  @ParameterizedTest
  @CsvSource({"0", "31", "127", "128", "159"})
  void isPlainRelative_refusesControlCharacters(int code) {
    assertEquals(false, PathPolicy.isPlainRelative("a" + (char) code + "b"));
  }

  @ParameterizedTest
  @CsvSource({"160", "233", "8364"})
  void isPlainRelative_acceptsOtherCharacters(int code) {
    assertEquals(true, PathPolicy.isPlainRelative("a" + (char) code + "b"));
  }
}
