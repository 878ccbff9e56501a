package io.fnwatch.model;

public enum AlertState {
    OPEN,
    RESOLVED
}
