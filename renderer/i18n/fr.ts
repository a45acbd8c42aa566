/**
 * French UI text (the default language). `en.ts` must have exactly the same
 * keys: its type is derived from this object, and a test checks it too.
 * Typographic apostrophes (’) and non-breaking spaces before « : » follow
 * French usage.
 */
export const fr = {
  app: {
    name: 'Vigie',
    tagline: 'Lecture à distance de la permanence des soins',
    skipToContent: 'Aller au contenu principal',
    loading: 'Chargement…',
    connectionLost: 'Le hub ne répond plus. Nouvelle tentative automatique dans un instant.',
  },
  language: {
    label: 'Langue',
    fr: 'Français',
    en: 'English',
  },
  header: {
    signedInAs: 'Connecté en tant que',
    signOut: 'Se déconnecter',
  },
  roles: {
    radiologist: 'radiologue',
    neuroradiologist: 'neuroradiologue',
    admin: 'administrateur',
  },
  signIn: {
    title: 'Connexion',
    username: 'Identifiant',
    password: 'Mot de passe',
    submit: 'Se connecter',
    submitting: 'Connexion…',
    demoBadge: 'Démonstration',
    secondFactorRelaxed:
      'Sur cette démonstration, le second facteur d’authentification est désactivé pour les rôles suivants : {{roles}}.',
    sessionExpired: 'Votre session a expiré, veuillez vous reconnecter.',
    workKept: 'Ce qui était à l’écran est conservé : vous le retrouverez après la connexion.',
    signedOut: 'Vous êtes déconnecté.',
    version: 'Version {{version}}',
    retry: 'Réessayer',
  },
  secondFactor: {
    title: 'Vérification en deux étapes',
    intro: 'Saisissez le code à 6 chiffres affiché par votre application d’authentification.',
    introRecovery: 'Saisissez l’un des codes de secours que vous avez notés lors de l’activation.',
    totpCode: 'Code à 6 chiffres',
    recoveryCode: 'Code de secours',
    useRecoveryCode: 'Utiliser un code de secours',
    useTotpCode: 'Utiliser l’application d’authentification',
    submit: 'Valider',
    submitting: 'Vérification…',
    cancel: 'Revenir à la connexion',
  },
  enrolment: {
    title: 'Activer la vérification en deux étapes',
    intro:
      'Votre compte doit être protégé par un second facteur. Installez une application d’authentification (FreeOTP, Aegis, Microsoft Authenticator, Google Authenticator…) sur votre téléphone.',
    scanStep: '1. Scannez ce QR code avec l’application.',
    qrAlt: 'QR code de configuration de l’application d’authentification pour le compte {{account}} ({{issuer}})',
    manualStep: 'Ou saisissez cette clé à la main :',
    account: 'Compte',
    issuer: 'Émetteur',
    type: 'Type de clé',
    timeBased: 'Basée sur le temps (TOTP)',
    confirmStep: '2. Saisissez le code à 6 chiffres affiché par l’application.',
    code: 'Code à 6 chiffres',
    submit: 'Confirmer l’activation',
    submitting: 'Confirmation…',
    preparing: 'Préparation de la clé…',
    retry: 'Réessayer',
    cancel: 'Annuler et revenir à la connexion',
  },
  recoveryCodes: {
    title: 'Codes de secours',
    intro:
      'Si vous n’avez plus accès à votre téléphone, chacun de ces codes permet une seule connexion. Ils ne seront plus jamais affichés.',
    storeAdvice: 'Notez-les maintenant et conservez-les en lieu sûr, à l’écart de votre téléphone.',
    listLabel: 'Vos codes de secours',
    print: 'Imprimer',
    done: 'J’ai noté mes codes',
  },
  worklist: {
    title: 'Liste de travail',
    caption: 'Télé-dossiers à lire',
    empty: 'Aucun télé-dossier à lire',
    emptyHint: 'Les nouvelles demandes de lecture apparaîtront ici.',
    asOf: 'Mise à jour à {{time}}',
    refresh: 'Actualiser',
    refreshing: 'Actualisation…',
    pendingDetails: 'Télé-dossier {{id}}',
    columns: {
      priority: 'Priorité',
      age: 'Âge',
      requestingSite: 'Site demandeur',
      modality: 'Modalité',
      region: 'Région',
      clinicalQuestion: 'Question clinique',
      state: 'État',
      reader: 'Lecteur',
    },
  },
  validation: {
    usernameRequired: 'Saisissez votre identifiant.',
    passwordRequired: 'Saisissez votre mot de passe.',
    usernameTooLong: 'Un identifiant compte au plus {{max}} caractères.',
    passwordTooLong: 'Un mot de passe compte au plus {{max}} caractères.',
    totpFormat: 'Saisissez les 6 chiffres du code.',
    recoveryRequired: 'Saisissez un code de secours.',
    fieldsSummary: 'Vérifiez les champs signalés.',
  },
  errors: {
    title: 'Erreur',
    'bad-request': 'La demande n’a pas pu être traitée. Rechargez la page et réessayez.',
    'validation-failed': 'Certaines informations sont invalides. Vérifiez les champs signalés.',
    'not-signed-in': 'Vous n’êtes pas connecté.',
    'session-expired': 'Votre session a expiré, veuillez vous reconnecter.',
    'second-factor-required': 'La vérification en deux étapes doit d’abord être terminée.',
    'enrolment-required': 'La vérification en deux étapes doit d’abord être activée.',
    'invalid-credentials': 'Identifiant ou mot de passe incorrect.',
    'invalid-code': 'Code incorrect ou expiré. Saisissez le code actuellement affiché.',
    accountLockedUntil:
      'Compte verrouillé après plusieurs échecs. Nouvel essai possible à {{time}} (heure de Paris). Un administrateur peut aussi le déverrouiller.',
    accountLocked:
      'Compte verrouillé après plusieurs échecs. Réessayez plus tard ; un administrateur peut aussi le déverrouiller.',
    tooManyRequestsUntil: 'Trop de tentatives. Réessayez à {{time}} (heure de Paris).',
    tooManyRequests: 'Trop de tentatives. Patientez quelques minutes avant de réessayer.',
    forbidden: 'Vous n’avez pas les droits nécessaires pour cette action.',
    'not-found': 'L’élément demandé n’existe pas ou plus.',
    conflict: 'L’élément a été modifié entre-temps. Rechargez puis réessayez.',
    'payload-too-large': 'Les données envoyées sont trop volumineuses.',
    'unsupported-media-type': 'Format de données non pris en charge par le hub.',
    'internal-error': 'Erreur interne du hub. Signalez-la au service informatique.',
    'service-unavailable': 'Le hub ne répond pas. Vérifiez la connexion réseau, puis réessayez dans un instant.',
    unexpected: 'Erreur inattendue dans l’application. Rechargez la page.',
    requestId: 'Référence pour le service informatique : {{requestId}}',
  },
};

/** The shape every language must have: same keys, string leaves. */
export type Messages = typeof fr;
