package io.fnwatch.http.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void shouldEscapeMarkupQuotesAndControlCharacters() {
        assertThat(Html.text("<script>alert('x')</script>&\"\u0001"))
                .isEqualTo("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;&amp;&quot;?");
        assertThat(Html.text(null)).isEmpty();
        assertThat(Html.text("orders-api é ✓")).isEqualTo("orders-api é ✓");
    }

    @Test
    void shouldEscapeTextAndLinksButWriteOwnMarkupAsIs() {
        String h = new Html()
                .raw("<p>")
                .t("<b>")
                .link("/ui/function?key=a\"onmouseover=\"x", "<i>")
                .raw("</p>")
                .toString();
        assertThat(h)
                .isEqualTo("<p>&lt;b&gt;<a href=\"/ui/function?key=a&quot;onmouseover=&quot;x\">&lt;i&gt;</a></p>");
    }

    @Test
    void shouldEncodeQueryParameters() {
        assertThat(Html.param("acme/aws/1/us-east-1/a b&c=<d>"))
                .isEqualTo("acme%2Faws%2F1%2Fus-east-1%2Fa+b%26c%3D%3Cd%3E");
    }
}
