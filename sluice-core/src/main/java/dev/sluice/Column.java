package dev.sluice;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the column a record component binds to, for column names that are not Java names:
 *
 * <pre>{@code
 * record Ticket(@Column("Registration State") String state,
 *               @Column("Days Parking In Effect    ") String days,
 *               @Column(value = "Issue Date", pattern = "MM/dd/yyyy") LocalDate issued) {}
 * Ticket t = row.as(Ticket.class);
 * }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD})
public @interface Column {
    /** The column name, exactly (spaces included). */
    String value();

    /** For date and date-time components: the pattern, e.g. {@code yyyyMMdd}. Default: ISO. */
    String pattern() default "";
}
