# shellcheck shell=bash
# chatctl token: mint a dev JWT (HS256) with openssl.

DEFAULT_JWT_KEY=dev-only-signing-key-change-me-0123456789abcdef

usage_token() {
  cat <<USAGE
Usage: chatctl token --user-id N --username NAME --role client|freelancer|admin|service
                     [--company-name S] [--title S] [--rate 50.00] [--ttl SECONDS]

Print a JWT (HS256) for the chat server. Claims: sub (the user id as a
string), username, role, optional company_name / title / rate (a string),
iss "marketplace", aud "chat", iat, nbf, exp (now + ttl, default 86400).
Signing key: \$CHAT_JWT_KEY (default: the dev key shared with Development config).

Example: ./chatctl token --user-id 1 --username client1 --role client
USAGE
}

# base64url without padding, from stdin
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# json_str VALUE -> VALUE as a quoted JSON string
json_str() {
  local LC_ALL=C s=$1 out="" c i code
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      '"') out+='\"' ;;
      "\\") out+="\\\\" ;;
      $'\n') out+='\n' ;;
      $'\r') out+='\r' ;;
      $'\t') out+='\t' ;;
      [[:cntrl:]])
        printf -v code '%d' "'$c"
        printf -v c '\\u%04x' "$code"
        out+=$c
        ;;
      *) out+=$c ;;
    esac
  done
  printf '"%s"' "$out"
}

# valid_user_id ID -> positive decimal that fits a signed 64-bit integer
valid_user_id() {
  [[ $1 =~ ^[1-9][0-9]{0,18}$ ]] || return 1
  local max=9223372036854775807
  # equal-length digit strings: lexicographic order is numeric order
  # shellcheck disable=SC2071
  ((${#1} < ${#max})) || [[ ! $1 > $max ]]
}

cmd_token() {
  if has_help_flag "$@"; then usage_token; return 0; fi
  local user_id="" username="" role="" company="" title="" rate="" ttl=86400
  local have_company=0 have_title=0 have_rate=0 opt val
  while (($#)); do
    opt=$1
    if [[ $opt == --*=* ]]; then
      val=${opt#*=} opt=${opt%%=*}
      shift
    else
      [[ $opt == --* ]] || die "unexpected argument '$opt' (see chatctl token --help)"
      (($# >= 2)) || die "option $opt needs a value"
      val=$2
      shift 2
    fi
    case $opt in
      --user-id) user_id=$val ;;
      --username) username=$val ;;
      --role) role=$val ;;
      --company-name) company=$val have_company=1 ;;
      --title) title=$val have_title=1 ;;
      --rate) rate=$val have_rate=1 ;;
      --ttl) ttl=$val ;;
      *) die "unknown option '$opt' (see chatctl token --help)" ;;
    esac
  done

  [[ -n $user_id ]] || die "--user-id is required"
  valid_user_id "$user_id" || die "--user-id must be a positive integer (got '$user_id')"
  [[ -n $username ]] || die "--username is required and must not be empty"
  [[ -n $role ]] || die "--role is required (client|freelancer|admin|service)"
  case $role in
    client | freelancer | admin | service) ;;
    *) die "--role must be one of client|freelancer|admin|service (got '$role')" ;;
  esac
  if ((have_rate)); then
    [[ $rate =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--rate must be a non-negative decimal like 50.00 (got '$rate')"
  fi
  [[ $ttl =~ ^[1-9][0-9]{0,9}$ ]] || die "--ttl must be a positive number of seconds (got '$ttl')"
  command -v openssl >/dev/null || die "openssl is required (apt-get install openssl)"

  local now payload
  now=$(date +%s)
  payload="{\"sub\":$(json_str "$user_id"),\"username\":$(json_str "$username"),\"role\":$(json_str "$role")"
  ((have_company)) && payload+=",\"company_name\":$(json_str "$company")"
  ((have_title)) && payload+=",\"title\":$(json_str "$title")"
  ((have_rate)) && payload+=",\"rate\":$(json_str "$rate")"
  payload+=",\"iss\":\"marketplace\",\"aud\":\"chat\",\"iat\":$now,\"nbf\":$now,\"exp\":$((now + ttl))}"
  jwt_sign "$payload"
}

# jwt_sign PAYLOAD_JSON -> prints header.payload.signature
jwt_sign() {
  local key=${CHAT_JWT_KEY:-$DEFAULT_JWT_KEY} header input sig
  [[ -n $key ]] || die "CHAT_JWT_KEY must not be empty"
  header=$(printf '%s' '{"alg":"HS256","typ":"JWT"}' | b64url)
  input="$header.$(printf '%s' "$1" | b64url)"
  sig=$(printf '%s' "$input" | openssl dgst -sha256 -hmac "$key" -binary | b64url)
  printf '%s.%s\n' "$input" "$sig"
}
