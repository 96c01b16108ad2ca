package dev.execlog.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test about the JSON store's own file (its format, lock, journal, fold, disk): the run of the
 * suite on the PostgreSQL store leaves it out (the {@code json-file} tag).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("json-file")
public @interface JsonFileOnly {}
