package io.sqlgate.proxy.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.ConversionContext;
import io.micronaut.data.model.runtime.convert.AttributeConverter;
import jakarta.inject.Singleton;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * An entry's time as the text {@code yyyy-MM-dd HH:mm:ss.SSSSSS}, which a {@code DATETIME(6)} column keeps whole.
 * Bound as a date, it would lose its fraction on MariaDB: Connector/J reads MariaDB's version as 5.5.5, older
 * than fractional seconds, and sends whole seconds only.
 */
@Singleton
public final class MicrosecondTime implements AttributeConverter<LocalDateTime, String> {
    static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    @Override
    @Nullable
    public String convertToPersistedValue(@Nullable LocalDateTime time, ConversionContext context) {
        return time == null ? null : FORMAT.format(time.truncatedTo(ChronoUnit.MICROS));
    }

    @Override
    @Nullable
    public LocalDateTime convertToEntityValue(@Nullable String text, ConversionContext context) {
        return text == null ? null : LocalDateTime.parse(text.length() == 19 ? text + ".000000" : text, FORMAT);
    }
}
