package io.fnwatch.parse.mask;

/**
 * The kinds of secret the masking names in {@code [REDACTED:KIND]}. The order is the order an event's
 * {@code secrets} list reports them in (the first seven keep the order fnwatch always used).
 */
public enum Kind {
    PRIVATE_KEY,
    JWT,
    AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY,
    URL_CREDENTIALS,
    AUTHORIZATION_HEADER,
    SECRET_PAIR,
    GITHUB_TOKEN,
    GITLAB_TOKEN,
    ATLASSIAN_TOKEN,
    SLACK_TOKEN,
    SLACK_WEBHOOK,
    DISCORD_BOT_TOKEN,
    DISCORD_WEBHOOK,
    TELEGRAM_BOT_TOKEN,
    STRIPE_KEY,
    SQUARE_TOKEN,
    SHOPIFY_TOKEN,
    GCP_API_KEY,
    AZURE_STORAGE_KEY,
    AZURE_SAS_SIGNATURE,
    AZURE_CLIENT_SECRET,
    TWILIO_API_KEY,
    SENDGRID_API_KEY,
    NPM_TOKEN,
    PYPI_TOKEN,
    DIGITALOCEAN_TOKEN,
    HUGGINGFACE_TOKEN,
    OPENAI_API_KEY,
    ANTHROPIC_API_KEY,
    VAULT_TOKEN,
    AGE_SECRET_KEY,
    POSTMAN_API_KEY,
    LINEAR_API_KEY,
    NEW_RELIC_KEY,
    GRAFANA_TOKEN,
    DOPPLER_TOKEN,
    SENTRY_TOKEN,
    HEROKU_API_KEY;

    static final Kind[] ALL = values();
}
