// App settings of the reminders (spec section 8). The robot urls and DingTalk signing secrets are secrets: they
// never pass through a deployment parameter; the operator stores them in the Key Vault
// (`az keyvault secret set --vault-name <vault> --name reminder-group-0-url --value 'https://qyapi...'`) and the
// settings here are Key Vault references to them, read with the app's identity (Key Vault Secrets User).

@description('Key Vault that holds reminder-group-N-url and, for DingTalk groups with signing, reminder-group-N-secret.')
param keyVaultName string

@description('Switch every reminder off (Pipeline__Reminders__Enabled).')
param enabled bool = true

@description('Local cutoffs HH:mm, comma-separated (Pipeline__Reminders__Times).')
param times string = '10:00,16:00,20:00'

@description('The groups: [{scope: county code or 623000, kind: wecom|dingtalk|webhook, times?: \'HH:mm,...\', signed?: bool}]. Urls and secrets are in the Key Vault.')
param groups array = []

@description('The form address in messages; empty: https://{WEBSITE_HOSTNAME}/api/form.')
param formUrl string = ''

var common = {
  Pipeline__Reminders__Enabled: string(enabled)
  Pipeline__Reminders__Times: times
}

var form = empty(formUrl) ? {} : { Pipeline__Reminders__FormUrl: formUrl }

var perGroup = [for (group, i) in groups: union(
  {
    'Pipeline__Reminders__Groups__${i}__Scope': group.scope
    'Pipeline__Reminders__Groups__${i}__Kind': group.kind
    'Pipeline__Reminders__Groups__${i}__Url': '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=reminder-group-${i}-url)'
  },
  contains(group, 'times') ? { 'Pipeline__Reminders__Groups__${i}__Times': group.times } : {},
  (group.?signed ?? false) ? { 'Pipeline__Reminders__Groups__${i}__Secret': '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=reminder-group-${i}-secret)' } : {}
)]

@description('The settings to merge into the function app\'s app settings.')
output settings object = reduce(perGroup, union(common, form), (all, next) => union(all, next))
