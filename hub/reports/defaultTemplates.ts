import type { ReportTemplateInput } from '../../core/api/reports.js';

/**
 * The templates a new hub starts with (product content, seeded also without
 * the demo): one per exam family of the on-call night, in French, with the
 * pick lists readers reach for most. Admins edit them afterwards; the seed
 * never overwrites an edited template (it runs only on an empty table).
 */
export const DEFAULT_TEMPLATES: ReadonlyArray<{ id: string } & ReportTemplateInput> = [
  {
    id: 'head-ct-trauma',
    family: 'head-ct-trauma',
    title: 'Scanner cérébral — traumatisme crânien',
    sections: {
      technique: 'Acquisition hélicoïdale de l’encéphale sans injection de produit de contraste. Reconstructions en fenêtres parenchymateuse, osseuse et sous-durale. Reconstructions multiplanaires.',
      findings: [
        'Pas d’hématome intra- ou extra-axial.',
        'Pas de contusion parenchymateuse visible.',
        'Pas d’hémorragie sous-arachnoïdienne.',
        'Structures médianes en place. Pas d’effet de masse.',
        'Système ventriculaire de taille et de morphologie normales.',
        'Pas de fracture de la voûte ni de la base du crâne. Sinus de la face et cellules mastoïdiennes normalement aérés.',
      ].join('\n'),
      conclusion: 'Pas de lésion intracrânienne traumatique décelée.',
    },
    pickLists: [
      {
        section: 'findings',
        label: 'Hématomes',
        options: [
          'Pas d’hématome intra- ou extra-axial.',
          'Hématome sous-dural aigu hémisphérique droit de … mm d’épaisseur maximale.',
          'Hématome sous-dural aigu hémisphérique gauche de … mm d’épaisseur maximale.',
          'Hématome extradural temporal … biconvexe de … mm d’épaisseur.',
          'Contusion hémorragique … de … mm.',
          'Hémorragie sous-arachnoïdienne post-traumatique des sillons …',
        ],
      },
      {
        section: 'findings',
        label: 'Effet de masse',
        options: ['Structures médianes en place.', 'Déviation de la ligne médiane de … mm vers la … .', 'Engagement sous-falcoriel.', 'Effacement des citernes de la base.'],
      },
      {
        section: 'findings',
        label: 'Os',
        options: ['Pas de fracture de la voûte ni de la base du crâne.', 'Fracture linéaire non déplacée de l’os … .', 'Fracture embarrure … de … mm.', 'Pneumencéphalie.'],
      },
    ],
  },
  {
    id: 'head-ct-stroke',
    family: 'head-ct-stroke',
    title: 'Scanner cérébral — suspicion d’AVC',
    sections: {
      technique: 'Acquisition de l’encéphale sans injection, puis angioscanner des troncs supra-aortiques et du polygone de Willis après injection de produit de contraste iodé. Cartographie de perfusion si réalisée.',
      findings: [
        'Pas d’hémorragie intracrânienne.',
        'Pas d’hypodensité parenchymateuse systématisée récente. Score ASPECTS : 10.',
        'Pas de signe de l’artère hyperdense.',
        'Angioscanner : perméabilité des artères carotides internes, vertébrales, du tronc basilaire et des artères cérébrales antérieures, moyennes et postérieures. Pas d’occlusion proximale.',
      ].join('\n'),
      conclusion: 'Pas d’hémorragie intracrânienne. Pas d’occlusion artérielle proximale décelée. ASPECTS 10.',
    },
    pickLists: [
      { section: 'findings', label: 'Score ASPECTS', options: ['Score ASPECTS : 10.', 'Score ASPECTS : 9.', 'Score ASPECTS : 8.', 'Score ASPECTS : 7.', 'Score ASPECTS : 6.', 'Score ASPECTS : 5.', 'Score ASPECTS : 4 ou moins.'] },
      {
        section: 'findings',
        label: 'Occlusion',
        options: [
          'Pas d’occlusion proximale.',
          'Occlusion du segment M1 de l’artère cérébrale moyenne … .',
          'Occlusion du segment M2 de l’artère cérébrale moyenne … .',
          'Occlusion de l’artère carotide interne … (terminaison en T).',
          'Occlusion du tronc basilaire.',
          'Sténose serrée de l’origine de l’artère carotide interne … .',
        ],
      },
      {
        section: 'conclusion',
        label: 'Conclusion',
        options: [
          'Pas d’hémorragie intracrânienne ; occlusion proximale accessible à une thrombectomie à discuter avec l’équipe de neuroradiologie interventionnelle.',
          'Hématome intraparenchymateux … de … mL.',
          'Pas d’anomalie aiguë décelée ; une IRM est à discuter si la clinique persiste.',
        ],
      },
    ],
  },
  {
    id: 'chest-ct-pe',
    family: 'chest-ct-pe',
    title: 'Angioscanner thoracique — embolie pulmonaire',
    sections: {
      technique: 'Angioscanner thoracique après injection de produit de contraste iodé, acquisition au temps artériel pulmonaire. Qualité d’opacification satisfaisante.',
      findings: [
        'Pas d’embolie pulmonaire jusqu’en distalité segmentaire.',
        'Rapport VD/VG inférieur à 1. Pas de reflux dans les veines sus-hépatiques.',
        'Pas d’épanchement pleural ni péricardique.',
        'Parenchyme pulmonaire : pas de condensation ni de nodule suspect.',
      ].join('\n'),
      conclusion: 'Pas d’embolie pulmonaire.',
    },
    pickLists: [
      {
        section: 'findings',
        label: 'Embolie pulmonaire',
        options: [
          'Pas d’embolie pulmonaire jusqu’en distalité segmentaire.',
          'Embolie pulmonaire proximale bilatérale (tronc et artères pulmonaires droite et gauche).',
          'Embolie pulmonaire lobaire … .',
          'Embolie pulmonaire segmentaire … .',
          'Embolie pulmonaire sous-segmentaire isolée … .',
        ],
      },
      { section: 'findings', label: 'Retentissement', options: ['Rapport VD/VG inférieur à 1.', 'Rapport VD/VG supérieur à 1 : signes de retentissement cardiaque droit.', 'Bombement septal vers la gauche.', 'Reflux de produit de contraste dans la veine cave inférieure et les veines sus-hépatiques.'] },
      { section: 'conclusion', label: 'Conclusion', options: ['Pas d’embolie pulmonaire.', 'Embolie pulmonaire … sans signe de retentissement cardiaque droit.', 'Embolie pulmonaire … avec signes de retentissement cardiaque droit.'] },
    ],
  },
  {
    id: 'abdomen-ct',
    family: 'abdomen-ct',
    title: 'Scanner abdomino-pelvien',
    sections: {
      technique: 'Scanner abdomino-pelvien après injection de produit de contraste iodé, au temps portal.',
      findings: [
        'Foie de taille normale, de densité homogène, sans lésion focale.',
        'Vésicule biliaire alithiasique. Voies biliaires non dilatées.',
        'Pancréas, rate et surrénales sans anomalie.',
        'Reins de taille normale, sans dilatation des cavités pyélocalicielles.',
        'Pas de distension digestive. Pas d’épaississement pariétal. Appendice normal.',
        'Pas d’épanchement intrapéritonéal ni de pneumopéritoine.',
      ].join('\n'),
      conclusion: 'Pas d’anomalie abdomino-pelvienne aiguë décelée.',
    },
    pickLists: [
      {
        section: 'findings',
        label: 'Urgences digestives',
        options: [
          'Appendice augmenté de calibre (… mm), à paroi épaissie, avec infiltration de la graisse péri-appendiculaire : appendicite aiguë.',
          'Distension grêlique en amont d’une zone de transition … : occlusion du grêle.',
          'Pneumopéritoine de moyenne abondance.',
          'Diverticulite sigmoïdienne non compliquée.',
          'Épanchement intrapéritonéal de … abondance.',
        ],
      },
      { section: 'findings', label: 'Voies urinaires', options: ['Pas de dilatation des cavités pyélocalicielles.', 'Dilatation pyélocalicielle … en amont d’un calcul urétéral … de … mm.'] },
    ],
  },
  {
    id: 'limb-radiograph',
    family: 'limb-radiograph',
    title: 'Radiographie de membre',
    sections: {
      technique: 'Radiographies de face et de profil.',
      findings: ['Pas de fracture ni de luxation visible.', 'Interlignes articulaires conservés.', 'Pas d’anomalie des parties molles.'].join('\n'),
      conclusion: 'Pas de lésion osseuse traumatique visible.',
    },
    pickLists: [
      {
        section: 'findings',
        label: 'Fracture',
        options: [
          'Pas de fracture ni de luxation visible.',
          'Fracture … non déplacée de … .',
          'Fracture … déplacée de … avec … .',
          'Fracture articulaire … .',
          'Luxation … .',
          'Épanchement intra-articulaire (signe du coussinet adipeux).',
        ],
      },
      { section: 'conclusion', label: 'Conclusion', options: ['Pas de lésion osseuse traumatique visible.', 'Fracture … : avis orthopédique.', 'Doute sur une fracture … : contrôle radiographique à 10 jours ou scanner si la douleur persiste.'] },
    ],
  },
];
