package org.ascspark.training.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Renders a {@link MetricsResult} as pretty-printed JSON (the {@code metrics.json} of the evaluate job)
 * from its plain-value view {@link MetricsResult#toMap()}: snake_case keys in a fixed order, NaN
 * written as {@code null}, LF line endings, no trailing newline.
 */
public final class MetricsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MetricsJson() {
    }

    /**
     * @param result the metrics
     * @return the JSON text
     */
    public static String render(MetricsResult result) {
        try {
            return MAPPER.writer()
                    .with(new com.fasterxml.jackson.core.util.DefaultPrettyPrinter()
                            .withObjectIndenter(new com.fasterxml.jackson.core.util.DefaultIndenter("  ", "\n")))
                    .writeValueAsString(result.toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render metrics as JSON", e);
        }
    }
}
