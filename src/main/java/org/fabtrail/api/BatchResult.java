package org.fabtrail.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The outcome of one envelope of a batch: {@code status} is what a single submission would have answered
 * (201 appended, 200 identical resubmission, 4xx/5xx refused); exactly one of {@code receipt} and {@code problem}.
 */
@JsonPropertyOrder({"status", "id", "receipt", "problem"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchResult(int status, String id, WriteReceipt receipt, Problem problem) {
}
