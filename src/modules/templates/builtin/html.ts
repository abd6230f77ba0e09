/** The HTML shell of built-in emails: inline styles only, as most mail clients drop <style>. */
export function emailHtml(blocks: string[]): string {
  return `<!doctype html>
<html lang="{{ language }}"><body style="margin:0;padding:24px;background:#ffffff">
<div style="max-width:640px;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#222">
${blocks.filter((b) => b !== '').join('\n')}
</div></body></html>`
}
